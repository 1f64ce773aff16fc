from celery import Celery, shared_task

app = Celery("proj")
app.conf.task_reject_on_worker_lost = True


@shared_task(acks_late=True)
def covered_by_the_setting(order_id): ...
