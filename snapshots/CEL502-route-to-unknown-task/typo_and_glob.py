from celery import shared_task

CELERY_TASK_ROUTES = {
    "typo_and_glob.send_reciept": {"queue": "email"},
    "typo_and_glob.send_receipt": {"queue": "email"},
    "typo_and_glob.report_*": "reports",
    "typo_and_glob.sync_*": "sync",
    "celery.backend_cleanup": "maintenance",
    "post_office.tasks.send_queued_mail": "email",
}


@shared_task
def send_receipt(order_id):
    print(order_id)


@shared_task
def sync_stock(sku):
    print(sku)
