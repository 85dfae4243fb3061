"""Stage 2, resolve: every reference and template of a loaded project -> `model.Document`s.

Writes nothing. `leaflets.resolve` is the entry point.
"""
