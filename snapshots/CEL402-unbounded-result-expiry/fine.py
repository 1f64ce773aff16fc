import os
from datetime import timedelta

CELERY_RESULT_EXPIRES = timedelta(hours=12)
CELERY_TASK_RESULT_EXPIRES = 6 * 24 * 3600
RESULT_EXPIRES = None  # not a Celery setting name
CELERY_RESULT_EXPIRES = int(os.environ.get("RESULT_EXPIRES", 3600))
