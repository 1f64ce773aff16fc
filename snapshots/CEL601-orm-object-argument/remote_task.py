from shop.models import Order
from shop.tasks import notify


def place(order_id):
    order = Order.objects.get(pk=order_id)
    # the task lives in another module: without the index its parameters are unknown
    notify.delay(order)
