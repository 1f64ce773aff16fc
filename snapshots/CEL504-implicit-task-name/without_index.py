from celery import shared_task


# without the ProjectIndex the module's import name is not known: reported, not fixed
@shared_task
def send_receipt(order_id):
    print(order_id)
