from celery import Task, shared_task

from proj.celery import app


@shared_task(acks_late=True, reject_on_worker_lost=True)
def charge(order_id): ...


@app.task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
)
def exploded(self, order_id): ...


class Durable(Task):
    acks_late = True


# near misses
@shared_task(acks_late=True, reject_on_worker_lost=True)
def rejects(order_id): ...


@shared_task(acks_late=False)
def early(order_id): ...


@shared_task(acks_late=True, **OPTIONS)
def spread(order_id): ...


@shared_task(acks_late=True)  # noqa: CEL903
def silenced(order_id): ...
