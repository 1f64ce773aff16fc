from celery import shared_task

from shop.emails import send_email, send_order_email
from shop.progress import send_progress


@shared_task
def confirm(order_id):
    send_email(order_id)  # a project helper named like a mail sender (default `*.send_email`)


@shared_task
def order_mail(order_id):
    send_order_email(order_id)  # `*.send_*_email`


@shared_task
def progress(job_id):
    send_progress(job_id)  # a progress push: not a side effect that matters twice
