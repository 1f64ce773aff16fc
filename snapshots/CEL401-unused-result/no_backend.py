from celery import Celery, shared_task

# the configuration is visible here and sets no result backend: results are not stored
app = Celery("shop", broker="redis://localhost")


@shared_task
def send_receipt(order_id):
    print(order_id)
