from cfx_app.celery import app
from cfx_app.models import Order


@app.task
def order_visible(order_id, using="default"):
    """Whether the worker can SEE the order row (on database `using`)."""
    return Order.objects.using(using).filter(pk=order_id).exists()


@app.task
def echo_item(item):
    return item


@app.task
def item_seen(item):
    """[item, whether the worker can SEE a row with that item]."""
    return [item, Order.objects.filter(item=item).exists()]
