"""celery-fix: find and fix unsafe Celery task design in Django projects."""

__version__ = "0.1.0"
