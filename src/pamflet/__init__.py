"""pamflet: reusable patient-information content to print-ready, clickable PDF leaflets."""

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


_isolate_reportlab()
