import os

CELERY_BROKER_URL = "amqp://shop:s3cret@rabbit.internal:5672//"
CELERY_RESULT_BACKEND = "redis://:hunter2@cache:6379/1"
BROKER_URL = "redis://cache:6379/0"  # no password
CELERY_BROKER_READ_URL = os.environ.get("READ_URL", "amqp://guest:guest@localhost//")
CELERY_BROKER_WRITE_URL = "amqp://guest:guest@localhost:5672//"  # RabbitMQ's default user: no secret
