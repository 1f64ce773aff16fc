"""libcst transformers that perform celery-fix's fixes, one module per fix.

Installed as `celery_fix.codemods`; from a checkout they also run as libcst codemod commands:
`python -m libcst.tool codemod retry_backoff.RetryBackoffCommand --no-format PATH`.
"""
