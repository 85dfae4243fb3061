"""Document control around the pipeline: releases kept in the archive, and what changed."""
