"""When each file of a project last changed: the time of the last commit that touched it when
git has it unchanged, else its modification time (an edit not yet committed, no git at all).

A fresh clone gives every file the same modification time; the commits keep the real order of
changes, so an approval is judged the same on a laptop and in CI. Git is asked once, locally,
and only when a leaflet has an approval to judge; no network, no hooks.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from pamflet.project import ProjectDir

GIT_SECONDS = 20


def git(root: Path, *args: str) -> str | None:
    """What a local git command prints, or None when there is no git or it fails."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotePath=false", *args], cwd=root, env=env,
            capture_output=True, timeout=GIT_SECONDS, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace")


class History:
    """Change times of a project's files, git's when it has them."""

    def __init__(self, files: ProjectDir) -> None:
        self.files = files
        self._commits: dict[str, float] | None = None

    def commits(self) -> dict[str, float]:
        """Project path -> time of the last commit touching it, for files git has unchanged."""
        if self._commits is not None:
            return self._commits
        self._commits = {}
        root = self.files.root
        prefix = git(root, "rev-parse", "--show-prefix")
        log = git(root, "log", "--format=%x01%ct", "--name-only", "--no-renames", "--", ".")
        status = git(root, "status", "--porcelain", "--untracked-files=all", "--", ".")
        if prefix is None or log is None or status is None:
            return self._commits
        prefix = prefix.strip()
        dirty = {line[3:].split(" -> ")[-1] for line in status.splitlines() if len(line) > 3}
        when = 0.0
        for line in log.splitlines():
            if line.startswith("\x01"):
                when = float(line[1:] or 0)
            elif line and line.startswith(prefix):
                rel = line[len(prefix) :]
                if line not in dirty:
                    self._commits.setdefault(rel, when)
        return self._commits

    def changed(self, rel: str) -> float:
        """When `rel` last changed, as a POSIX time."""
        committed = self.commits().get(rel)
        return committed if committed is not None else self.files.changed(rel)
