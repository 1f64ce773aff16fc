"""Near miss: a beat schedule written in test code (a test_*.py file) is a fixture, not configuration."""
from datetime import timedelta

CELERY_BEAT_SCHEDULE = {
    "sync-stock": {"task": "shop.tasks.sync_stock", "schedule": timedelta(minutes=5)},
}
