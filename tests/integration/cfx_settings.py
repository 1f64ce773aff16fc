"""Django settings for celery-fix's integration tests (loaded by tests/integration/conftest.py
through `settings.configure()`, so no DJANGO_SETTINGS_MODULE leaks into the rest of the suite).

File-based SQLite for the normal and the *test* databases: the Celery worker runs in another
thread with its own connection and must see committed rows, and only committed rows (an in-memory
shared-cache DB raises "table is locked" instead; see /work/shared/notes/integration-tests.md).
"""

import os
import tempfile

DB_DIR = tempfile.mkdtemp(prefix="celeryfix-it-")

SECRET_KEY = "celery-fix-integration-tests"
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
INSTALLED_APPS = ["django.contrib.contenttypes", "cfx_app"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.path.join(DB_DIR, "default.sqlite3"),
        "TEST": {"NAME": os.path.join(DB_DIR, "test-default.sqlite3")},
    },
    # a second database, for `atomic(using="second")` -> `on_commit(..., using="second")`
    "second": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.path.join(DB_DIR, "second.sqlite3"),
        "TEST": {"NAME": os.path.join(DB_DIR, "test-second.sqlite3")},
    },
}

# Celery, read by the session app with config_from_object(namespace="CELERY")
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = "cache+memory://"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"polling_interval": 0.01}
# Every module that defines tasks: imported before the worker starts (it rejects task names it
# did not know at start-up). Add yours here.
CELERY_IMPORTS = ["cfx_app.tasks", "cfx_app.signup_before", "cfx_app.serialize_before"]
