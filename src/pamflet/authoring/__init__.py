"""The authors' features around the pipeline: init and new, list, preview, readability."""
