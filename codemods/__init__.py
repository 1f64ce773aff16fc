"""libcst transformers that perform celery-fix's fixes, one module per fix.

Installed as `celery_fix.codemods`; six of them also run as libcst codemod commands, with parallel
workers (`_lazy.py`): `python -m libcst.tool codemod -x celery_fix.codemods.retry_backoff.RetryBackoffCommand
--no-format PATH`, or `retry_backoff.RetryBackoffCommand` from a checkout (README "libcst codemods").
"""
