"""The Celery app of the integration tests (created by the `celery_app` fixture's first import)."""

from celery import Celery
from django.conf import settings

app = Celery("cfx_app", set_as_current=True)
app.config_from_object(settings, namespace="CELERY")
app.set_default()
