"""Order workflows shared by the views, the admin actions and the payment webhook."""
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import F

from .models import Order, OrderLine, Payment, Product
from .tasks import generate_invoice, notify_warehouse, record_shipment, refund_payment, send_order_confirmation


class PaymentMismatch(Exception):
    pass


def create_order(customer, cart):
    """Turn the session cart, a list of (product, quantity), into a placed order."""
    with transaction.atomic():
        order = Order.objects.create(customer=customer, status=Order.Status.PLACED)
        OrderLine.objects.bulk_create(
            [OrderLine(order=order, product=product, quantity=qty, unit_price=product.price) for product, qty in cart]
        )
        order.total = sum((product.price * qty for product, qty in cart), Decimal(0))
        order.save(update_fields=["total"])
        transaction.on_commit(partial(send_order_confirmation.delay, order.pk))
    return order


def reserve_stock(order):
    """Take the ordered quantities out of stock and ask the warehouse to pick them."""
    for line in order.lines.all():
        Product.objects.filter(pk=line.product_id).update(stock=F("stock") - line.quantity)
    notify_warehouse.delay(order.pk)


@transaction.atomic
def cancel_order(order):
    """Admin action: cancel an order, put its items back in stock and refund it."""
    Order.objects.filter(pk=order.pk).update(status=Order.Status.CANCELLED)
    for line in order.lines.all():
        Product.objects.filter(pk=line.product_id).update(stock=F("stock") + line.quantity)
    refund_payment.delay(order.pk)


def mark_shipped(order, tracking_number, carrier):
    with transaction.atomic():
        Order.objects.filter(pk=order.pk).update(status=Order.Status.SHIPPED)
        record_shipment.delay(order.pk, tracking_number, carrier)


def confirm_payment(provider_ref, amount):
    """Payment-provider webhook: mark the payment captured and invoice the order."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(provider_ref=provider_ref)
        payment.status = Payment.Status.CAPTURED
        payment.save(update_fields=["status"])
        generate_invoice.delay(payment.order_id)
        if payment.amount != amount:
            raise PaymentMismatch(f"{provider_ref}: expected {payment.amount}, got {amount}")
        Order.objects.filter(pk=payment.order_id).update(status=Order.Status.PAID)
    return payment
