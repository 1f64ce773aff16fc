from datetime import timedelta

from celery import Celery

app = Celery("shop", backend="redis://localhost/1")
app.conf.result_expires = timedelta(days=30)
app.conf.update(result_expires=0)
