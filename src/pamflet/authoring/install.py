"""Install lines that install: pamflet pinned to the version that writes them, from PyPI, and
from its source repository as named in the package's own metadata (never guessed)."""

from __future__ import annotations

from pamflet import __version__

REPOSITORY_LABELS = ("repository", "source", "source code", "homepage")


def requirement(extra: str = "") -> str:
    """`pamflet==X.Y.Z`, with `[extra]` if given: what PyPI installs once this version is out."""
    return f"pamflet{f'[{extra}]' if extra else ''}=={__version__}"


def repository() -> str | None:
    """The source repository named in the installed package's metadata (`Project-URL`)."""
    from importlib import metadata

    try:
        urls = metadata.metadata("pamflet").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return None
    named = {}
    for entry in urls:
        label, _, url = entry.partition(",")
        named[label.strip().lower()] = url.strip()
    return next((named[k] for k in REPOSITORY_LABELS if named.get(k)), None)


def from_pypi(extra: str = "") -> str:
    return f'pip install "{requirement(extra)}"'


def from_source(extra: str = "") -> str | None:
    """The same version straight from its tag in the source repository, for before it is on
    PyPI (or where PyPI is out of reach)."""
    repo = repository()
    if repo is None:
        return None
    name = f"pamflet[{extra}]" if extra else "pamflet"
    return f'pip install "{name} @ git+{repo}@v{__version__}"'
