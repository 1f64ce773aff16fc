# django-celery-beat is installed, but which scheduler beat runs is not set in the code (a CLI flag):
# the key (`expires` or `expire_seconds`) is not known, so the finding has no fix
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django_celery_beat",
]

CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "shop.tasks.heartbeat", "schedule": 30.0},
}
