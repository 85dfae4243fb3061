"""pamflet: reusable patient-information content to print-ready, clickable PDF leaflets."""

import importlib.util
import os
import sys
import types

__version__ = "0.2.0"


def _isolate_reportlab() -> None:
    """ReportLab must not run code or read settings from the user's home or environment.

    At import it executes `reportlab_mods` / `~/.reportlab_mods` and reads
    `reportlab_settings` / `~/.reportlab_settings` and RL_* variables: the same sources must
    give the same PDF on every machine, and a file in a home folder must not run in a build.
    Empty stand-ins are installed before ReportLab is first imported.
    """
    if "reportlab" in sys.modules:
        return
    for name in ("reportlab_mods", "reportlab_settings"):
        sys.modules.setdefault(name, types.ModuleType(name))
    for key in [k for k in os.environ if k.startswith("RL_")]:
        del os.environ[key]


def _right_to_left() -> None:
    """Give ReportLab what it lays out right-to-left text with, before it is first imported.

    ReportLab's paragraphs reorder RTL lines when a module `rlbidi` exists (ReportLab's own is
    not on PyPI): this stand-in runs python-bidi's implementation of the Unicode bidi algorithm
    (render/rtl.py), imported on first use. ReportLab shapes Arabic with uharfbuzz, which it
    imports with its font code: loaded lazily, so a leaflet that shapes nothing does not pay the
    40 ms it takes to import.
    """
    if "reportlab" in sys.modules:
        return
    shim = types.ModuleType("rlbidi", "python-bidi behind ReportLab's rlbidi interface")

    def log2vis(*args: object, **kwargs: object) -> str:
        from pamflet.render.rtl import log2vis as real

        return real(*args, **kwargs)  # type: ignore[arg-type]

    shim.log2vis = log2vis  # type: ignore[attr-defined]
    sys.modules.setdefault("rlbidi", shim)
    if "uharfbuzz" not in sys.modules and importlib.util.find_spec("uharfbuzz") is not None:
        sys.modules["uharfbuzz"] = _on_first_use("uharfbuzz")


def _on_first_use(name: str) -> types.ModuleType:
    """A stand-in for module `name` that imports it when an attribute is first asked for, then
    holds the module's names itself (importlib's LazyLoader loads on the import statement)."""
    stand_in = types.ModuleType(name)

    def load(attribute: str) -> object:
        del sys.modules[name]
        real = importlib.import_module(name)
        stand_in.__dict__.update(real.__dict__)
        return getattr(real, attribute)

    stand_in.__getattr__ = load  # type: ignore[method-assign]
    return stand_in


_isolate_reportlab()
_right_to_left()
