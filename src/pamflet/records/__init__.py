"""What a build leaves in its output folder for the next run: the manifest and the check cache.

Records are read back from a folder that may come from anywhere (a CI cache, a committed
`build/`): they are untrusted input.
"""
