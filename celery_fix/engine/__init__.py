"""Runs the rules: read files, word scan, parse, walk, positions, fixes, cache, workers."""
