from celery import Task, shared_task

from shop.models import Event


class LateTask(Task):
    acks_late = True


@shared_task(base=LateTask)
def inherited_acks_late(order_id):
    Event.objects.create(order_id=order_id)
