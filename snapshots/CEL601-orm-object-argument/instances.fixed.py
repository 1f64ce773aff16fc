from celery import shared_task
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.shortcuts import get_object_or_404

from shop.models import Customer, Order
from shop.schemas import Cart


@shared_task
def send_receipt(order_id):
    pass


@shared_task
def render(order):
    pass


@shared_task(bind=True)
def bound(self, customer_pk):
    pass


def place(order_id):
    order = Order.objects.get(pk=order_id)
    send_receipt.delay(order.pk)
    render.delay(order)


def already_pk(order_id):
    order = Order.objects.get(pk=order_id)
    send_receipt.delay(order.pk)


def not_a_model(data):
    cart = Cart(**data)  # shop.schemas.Cart: not a models module
    render.delay(cart)


def created(data):
    customer, _ = Customer.objects.get_or_create(email=data["email"])
    bound.apply_async(args=(customer.pk,))
    bound.apply_async(kwargs={"customer_pk": customer.pk})


def new_instance(data):
    order = Order(**data)
    render.s(order).apply_async()


def view(request, pk):
    order = get_object_or_404(Order, pk=pk)
    send_receipt.delay(order_id=order.pk)
    render.delay(request.user)


def queryset_loop():
    for order in Order.objects.filter(paid=False):
        send_receipt.delay(order.pk)


def first_of_chain():
    latest = Order.objects.filter(paid=True).order_by("-created").first()
    send_receipt.delay(latest.pk)


@receiver(post_save, sender=Order)
def on_save(sender, instance, created, **kwargs):
    send_receipt.delay(instance.pk)


def annotated(order: Order):
    render.delay(order)


def rebound(order_id):
    order = Order.objects.get(pk=order_id)
    order = order.pk  # the name is rebound: not followed
    render.delay(order)
