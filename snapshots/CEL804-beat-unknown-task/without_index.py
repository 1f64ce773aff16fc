# without the ProjectIndex (plain Fixit, or a run that has none) the rule cannot know the project's
# tasks and reports nothing
from celery import shared_task


@shared_task
def sync_stock():
    pass


CELERY_BEAT_SCHEDULE = {
    "typo": {"task": "without_index.sync_stok", "schedule": 300},
}
