import os

from celery import Celery

app = Celery("shop", broker="redis://:hunter2@cache:6379/0", backend=os.environ["BACKEND"])
app.conf.result_backend = f"redis://:{os.environ['PASSWORD']}@cache:6379/1"
