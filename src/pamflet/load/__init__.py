"""Stage 1, load: YAML with positions, the schema, front matter, Markdown and templates.

`project.load_project` reads a project into `model.Project`. Nothing here knows of the later
stages; `markdown` and `templating` are also used by resolve (and templating by render, for
headers and footers), which is allowed: a stage imports only from the stages before it.
"""
