from celery import shared_task

from shop import billing


@shared_task
def bill(order_id):
    billing.invoice(order_id)


@shared_task
def refund(gateway, payment_id):
    gateway.refund(payment_id)  # not in the configured list
