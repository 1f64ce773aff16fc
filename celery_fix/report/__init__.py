"""Output formats for findings, diffs and summaries."""
