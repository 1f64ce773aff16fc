from celery import Celery

app = Celery("proj")
app.conf.update(task_always_eager=True, task_serializer="json")
app.conf.task_always_eager = False
