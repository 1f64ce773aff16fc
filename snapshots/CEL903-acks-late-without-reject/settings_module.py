from celery import Celery

app = Celery("proj")
app.config_from_object("django.conf:settings", namespace="CELERY")

CELERY_TASK_ACKS_LATE = True  # reported: no task_reject_on_worker_lost
