"""What Celery and Django constructs are in a libcst tree: tasks, dispatches, beat, results, views, scopes."""
