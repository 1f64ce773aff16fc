# test settings: eager tasks are what tests want
CELERY_TASK_ALWAYS_EAGER = True
