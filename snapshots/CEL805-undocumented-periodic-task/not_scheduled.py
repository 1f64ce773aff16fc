# tasks without docstrings that no beat entry runs: not this rule's business
from celery import shared_task


@shared_task
def send_receipt(order_id):
    pass


def helper():
    pass
