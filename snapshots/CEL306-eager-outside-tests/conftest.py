from proj.celery import app

app.conf.task_always_eager = True
