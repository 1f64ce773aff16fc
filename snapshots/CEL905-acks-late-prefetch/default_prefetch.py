from celery import Celery, Task, shared_task

app = Celery("proj")


class Durable(Task):
    acks_late = True


@shared_task(acks_late=True)
def render(report_id): ...


@app.task(base=Durable)
def inherits(report_id): ...


@shared_task
def early(report_id): ...
