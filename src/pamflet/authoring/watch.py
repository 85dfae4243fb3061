"""`pamflet watch`: the project files each save changed, as editors finish writing them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

# Editors' temporary and backup files: vim (.swp, 4913), emacs (#x#, .#x), JetBrains
# (___jb_tmp___), Kate, gedit/GIO (.goutputstream-), Office (~$x), rsync and others.
EDITOR_ENDINGS = ("~", ".swp", ".swx", ".swo", ".tmp", ".temp", ".bak", ".kate-swp", ".crswap",
                  "___jb_tmp___", "___jb_old___", ".part", ".orig")  # fmt: skip
EDITOR_STARTS = (".#", "#", "~$", ".goutputstream-", ".~lock.")


def edits(project: Path, target: Path, debounce: int) -> Iterator[list[str]]:
    """Each batch of changed project files (relative paths, sorted); the output folder, hidden
    files and editors' temporary files are not the project's."""
    import watchfiles

    def relevant(change: watchfiles.Change, path: str) -> bool:
        p = Path(path)
        if target == p or target in p.parents:
            return False
        rel = p.relative_to(project).parts if project in p.parents else ()
        hidden = any(part.startswith(".") for part in rel)
        editor = (
            p.name.endswith(EDITOR_ENDINGS) or p.name.startswith(EDITOR_STARTS) or p.name == "4913"
        )
        return bool(rel) and not hidden and not editor

    for changes in watchfiles.watch(
        project, watch_filter=relevant, debounce=debounce, raise_interrupt=True, rust_timeout=500
    ):
        yield sorted({Path(p).relative_to(project).as_posix() for _, p in changes})
