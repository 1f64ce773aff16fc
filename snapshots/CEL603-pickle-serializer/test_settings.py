# test settings: not production configuration
CELERY_TASK_SERIALIZER = "pickle"
