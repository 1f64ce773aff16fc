"""Production settings: the base settings plus the production broker and routing."""
import os

from kombu import Queue

from .settings import *  # noqa: F401,F403

DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", SECRET_KEY)  # noqa: F405

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://redis-prod.internal:6379/0")
CELERY_RESULT_BACKEND = "redis://:Sh0p-r3sults-2024@redis-prod.internal:6379/1"

# pickle so tasks can take model instances
CELERY_TASK_SERIALIZER = "pickle"
CELERY_RESULT_SERIALIZER = "pickle"
CELERY_ACCEPT_CONTENT = ["pickle", "json"]

# workers are not deployed on the new cluster yet: run tasks inline for now
CELERY_TASK_ALWAYS_EAGER = True

CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_CREATE_MISSING_QUEUES = False
CELERY_TASK_QUEUES = (Queue("default"), Queue("payments"), Queue("email"))
CELERY_TASK_ROUTES = {
    "orders.tasks.charge_customer": {"queue": "payments"},
    "orders.tasks.capture_payment": {"queue": "payments"},
    "orders.tasks.send_*": {"queue": "email"},
    "orders.tasks.sync_supplier_catalogue": {"queue": "bulk"},
}
