CELERY_BROKER_URL = "amqp://test:test@localhost//"
