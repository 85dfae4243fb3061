"""pamflet: print-ready, clickable PDF leaflets from reusable patient-information content."""

__version__ = "0.1.0"
