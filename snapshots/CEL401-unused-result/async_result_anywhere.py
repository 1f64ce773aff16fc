from celery import shared_task
from celery.result import AsyncResult


@shared_task
def send_receipt(order_id):
    print(order_id)


def status(task_id):
    # results are looked up by id somewhere: any task id could be kept (a signal handler, a
    # database row), so no task's result is provably unused
    return AsyncResult(task_id).state
