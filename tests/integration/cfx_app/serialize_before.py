"""A dispatch that passes a model instance (CEL601): under the JSON serializer `.delay(order)`
raises kombu's EncodeError. The task takes an id, so celery-fix's unsafe fix passes `order.pk`."""

from cfx_app.celery import app
from cfx_app.models import Order


# an explicit name: the fixed copy (imported under another module name) reuses this registered task
@app.task(name="cfx_app.serialize_before.describe")
def describe(order_id):
    return Order.objects.get(pk=order_id).item


def send_description(order_id):
    order = Order.objects.get(pk=order_id)
    return describe.delay(order)
