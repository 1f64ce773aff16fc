from celery import Task, shared_task


class Durable(Task):
    acks_late = True  # reported here


class Safe(Durable):
    reject_on_worker_lost = True


@shared_task(base=Durable)
def inherits(order_id): ...  # not again


@shared_task(base=Safe, acks_late=True)
def safe(order_id): ...  # reject_on_worker_lost from Safe
