from celery import Celery, shared_task

app = Celery("proj")
app.conf.worker_prefetch_multiplier = 1


@shared_task(acks_late=True)
def render(report_id): ...
