from celery import Celery

# the ProjectIndex sees the configuration: no result backend, so nothing is stored
app = Celery("shop", broker="redis://localhost")
app.conf.result_expires = None
