"""Background jobs of the orders app."""
import csv
import io
import logging
import smtplib
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import requests
from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db import OperationalError, transaction
from django.utils import timezone

from shop.celery import app

from .models import Customer, Order, Payment, PriceChange, Product, Shipment, SupplierSync

logger = logging.getLogger(__name__)


# --- order lifecycle ---------------------------------------------------------

@shared_task(autoretry_for=(requests.RequestException,))
def notify_warehouse(order_id):
    order = Order.objects.prefetch_related("lines__product").get(pk=order_id)
    payload = {
        "order": order.pk,
        "lines": [{"sku": line.product.sku, "qty": line.quantity} for line in order.lines.all()],
    }
    logger.info("sending pick list for order %s", order.pk)
    resp = requests.post(f"{settings.WAREHOUSE_API_URL}/pick-lists", json=payload, timeout=10)
    resp.raise_for_status()


@shared_task(
    autoretry_for=(requests.ConnectionError, requests.Timeout),
    max_retries=5,
    acks_late=True,
)
def sync_customer_to_crm(customer_id):
    customer = Customer.objects.select_related("user").get(pk=customer_id)
    if customer.crm_synced_at and customer.crm_synced_at >= customer.updated_at:
        logger.debug("customer %s already in sync with the CRM", customer_id)
        return
    user = customer.user
    resp = requests.put(
        f"{settings.CRM_API_URL}/contacts/{customer.crm_id or user.email}",
        json={"email": user.email, "name": user.get_full_name(), "phone": customer.phone},
        timeout=10,
    )
    resp.raise_for_status()
    Customer.objects.filter(pk=customer_id).update(crm_id=resp.json()["id"], crm_synced_at=timezone.now())


@shared_task(bind=True, max_retries=3)
def send_order_confirmation(self, order_id):
    order = Order.objects.select_related("customer__user").get(pk=order_id)
    lines = "\n".join(
        f"{line.quantity} x {line.product.name}  {line.subtotal}"
        for line in order.lines.select_related("product")
    )
    try:
        send_mail(
            f"Your order #{order.pk}",
            f"Thanks for shopping with us!\n\n{lines}\n\nTotal: {order.total}",
            settings.DEFAULT_FROM_EMAIL,
            [order.customer.user.email],
        )
    except smtplib.SMTPException as exc:
        logger.warning("confirmation mail for order %s failed: %s", order_id, exc)
        self.retry(exc=exc)


@app.task(
    name="orders.charge_customer",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
    time_limit=60,
    soft_time_limit=45,
    ignore_result=True,
)
def charge_customer(self, order_id):
    """Charge a placed order once; the gateway de-duplicates on the idempotency key."""
    order = Order.objects.get(pk=order_id)
    if order.status != Order.Status.PLACED:
        logger.info("order %s not chargeable (status=%s)", order_id, order.status)
        return
    try:
        resp = requests.post(
            f"{settings.PAYMENT_GATEWAY_URL}/charges",
            json={"amount": str(order.total), "reference": f"order-{order.pk}"},
            headers={"Idempotency-Key": f"charge-order-{order.pk}"},
            timeout=10,
        )
        resp.raise_for_status()
    except requests.RequestException as exc:
        logger.warning("charging order %s failed: %s", order_id, exc)
        raise self.retry(exc=exc, countdown=30 * 2 ** self.request.retries)
    Order.objects.filter(pk=order_id, status=Order.Status.PLACED).update(status=Order.Status.PAID)


@shared_task(max_retries=5)
def capture_payment(payment_id):
    payment = Payment.objects.get(pk=payment_id)
    if payment.status == Payment.Status.CAPTURED:
        logger.info("payment %s already captured", payment_id)
        return
    try:
        resp = requests.post(f"{settings.PAYMENT_GATEWAY_URL}/payments/{payment.provider_ref}/capture", timeout=10)
        resp.raise_for_status()
    except requests.RequestException as exc:
        logger.warning("capture of payment %s failed: %s", payment_id, exc)
        raise self.retry(exc=exc, countdown=60)
    Payment.objects.filter(pk=payment_id).update(status=Payment.Status.CAPTURED)


@shared_task(autoretry_for=(Exception,), retry_backoff=True)
def refund_payment(order_id):
    order = Order.objects.get(pk=order_id)
    if order.status == Order.Status.REFUNDED:
        return
    payment = order.payments.get(status=Payment.Status.CAPTURED)
    logger.info("refunding payment %s of order %s", payment.pk, order_id)
    resp = requests.post(
        f"{settings.PAYMENT_GATEWAY_URL}/payments/{payment.provider_ref}/refund",
        json={"amount": str(payment.amount)},
        timeout=10,
    )
    resp.raise_for_status()
    Order.objects.filter(pk=order_id).update(status=Order.Status.REFUNDED)


@shared_task
def generate_invoice(order_id):
    try:
        order = Order.objects.get(pk=order_id)
        number = f"INV-{order.created_at:%Y}-{order.pk:06d}"
        Order.objects.filter(pk=order_id, invoice_number="").update(invoice_number=number)
    except Exception:
        logger.exception("could not number the invoice of order %s", order_id)
        raise
    return number


@shared_task(soft_time_limit=120, time_limit=120)
def render_invoice(order_id):
    order = Order.objects.get(pk=order_id)
    path = Path(settings.MEDIA_ROOT) / "invoices" / f"{order.invoice_number or order.pk}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "\n".join(
        f"{line.quantity} x {line.product.name}: {line.subtotal}"
        for line in order.lines.select_related("product")
    )
    path.write_text(f"Invoice {order.invoice_number}\n\n{body}\n\nTotal: {order.total}\n")
    return str(path)


@shared_task
def sync_order_to_erp(order):
    print(f"pushing order {order.pk} to the ERP")
    try:
        requests.post(
            f"{settings.ERP_API_URL}/sales-orders",
            json={"id": order.pk, "customer": order.customer_id, "total": str(order.total)},
            timeout=10,
        )
    except Exception:
        pass


@shared_task(autoretry_for=(requests.HTTPError, ValueError, Order.DoesNotExist), retry_backoff=True)
def push_order_to_marketplace(order_id):
    order = Order.objects.get(pk=order_id)
    if order.marketplace_ref:
        return
    resp = requests.post(
        f"{settings.MARKETPLACE_API_URL}/orders",
        json={"external_id": order.pk, "total": str(order.total)},
        timeout=10,
    )
    resp.raise_for_status()
    order.marketplace_ref = resp.json()["id"]
    order.save(update_fields=["marketplace_ref"])
    logger.info("order %s listed on the marketplace as %s", order_id, order.marketplace_ref)


# --- shipping ----------------------------------------------------------------

@shared_task
def create_shipping_label(order_id):
    order = Order.objects.select_related("customer__user").get(pk=order_id)
    if order.label_url:
        return order.label_url
    resp = requests.post(
        f"{settings.CARRIER_API_URL}/labels",
        json={"reference": order.pk, "email": order.customer.user.email},
        timeout=20,
    )
    resp.raise_for_status()
    label_url = resp.json()["label_url"]
    Order.objects.filter(pk=order_id).update(label_url=label_url)
    return label_url


@shared_task
def ship_order(order_id):
    label_url = create_shipping_label.delay(order_id).get(timeout=60)
    Order.objects.filter(pk=order_id).update(status=Order.Status.SHIPPED)
    logger.info("order %s ready to ship, label %s", order_id, label_url)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, retry_backoff_max=300)
def record_shipment(order_id, tracking_number, carrier):
    shipment = Shipment.objects.create(order_id=order_id, tracking_number=tracking_number, carrier=carrier)
    logger.info("order %s shipped with %s (%s)", order_id, carrier, tracking_number)
    poll_shipment_status.apply_async((shipment.pk,), countdown=3600)


@shared_task(bind=True, max_retries=None)
def poll_shipment_status(self, shipment_id):
    shipment = Shipment.objects.get(pk=shipment_id)
    resp = requests.get(f"{settings.CARRIER_API_URL}/track/{shipment.tracking_number}", timeout=10)
    resp.raise_for_status()
    status = resp.json()["status"]
    Shipment.objects.filter(pk=shipment_id).update(status=status)
    if status != "delivered":
        logger.debug("shipment %s still %s", shipment_id, status)
        raise self.retry(countdown=3600)


# --- customers and catalogue ---------------------------------------------------

@shared_task(ignore_results=True)
def record_customer_activity(user, action):
    Customer.objects.filter(user=user).update(last_seen_at=timezone.now())
    logger.info("user %s: %s", user.pk, action)


@shared_task
def import_price_list(upload):
    reader = csv.DictReader(io.TextIOWrapper(upload, encoding="utf-8"))
    prices = {row["sku"]: Decimal(row["price"]) for row in reader}
    products = list(Product.objects.filter(sku__in=prices))
    for product in products:
        product.price = prices[product.sku]
    Product.objects.bulk_update(products, ["price"])
    logger.info("price list %s: %d products updated", upload.name, len(products))


@shared_task(time_limit=3600, soft_time_limit=3300)
def export_orders_csv(orders, email):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["order", "status", "total", "created"])
    for order in orders:
        writer.writerow([order.pk, order.status, order.total, order.created_at.isoformat()])
    logger.info("mailing order export to %s", email)
    EmailMessage(
        "Your order export",
        "Your orders are attached.",
        settings.DEFAULT_FROM_EMAIL,
        [email],
        attachments=[("orders.csv", buf.getvalue(), "text/csv")],
    ).send()


# --- periodic ------------------------------------------------------------------

@shared_task(time_limit=600, soft_time_limit=540)
def expire_stale_carts():
    cutoff = timezone.now() - timedelta(days=30)
    deleted, _ = Order.objects.filter(status=Order.Status.CART, updated_at__lt=cutoff).delete()
    logger.info("expired %d stale carts", deleted)


@shared_task
def send_abandoned_cart_reminders():
    """Daily: remind customers of carts they left more than a day ago."""
    cutoff = timezone.now() - timedelta(days=1)
    carts = Order.objects.filter(status=Order.Status.CART, updated_at__lt=cutoff).select_related("customer__user")
    logger.info("sending %d abandoned-cart reminders", carts.count())
    for cart in carts:
        send_mail(
            "You left something in your cart",
            f"Your cart ({cart.total}) is still waiting for you.",
            settings.DEFAULT_FROM_EMAIL,
            [cart.customer.user.email],
        )


@shared_task
def sync_supplier_catalogue():
    """Nightly: import the supplier feed, update prices and stock, report to purchasing."""
    resp = requests.get(settings.SUPPLIER_FEED_URL, timeout=60)
    resp.raise_for_status()
    rows = [row for row in csv.DictReader(io.StringIO(resp.text)) if row.get("sku")]
    sync = SupplierSync.objects.create()
    for row in rows:
        price = Decimal(row["price"])
        stock = int(row.get("stock") or 0)
        product = Product.objects.filter(sku=row["sku"]).first()
        if product is None:
            Product.objects.create(sku=row["sku"], name=row["name"], price=price, stock=stock)
            sync.created += 1
            continue
        if product.price != price:
            PriceChange.objects.create(product=product, old_price=product.price, new_price=price)
        Product.objects.filter(pk=product.pk).update(price=price, stock=stock)
        sync.updated += 1
    sync.save()
    logger.info("supplier sync %s: %d new, %d updated", sync.pk, sync.created, sync.updated)
    send_mail(
        "Supplier catalogue synced",
        f"{sync.created} new products, {sync.updated} updated.",
        settings.DEFAULT_FROM_EMAIL,
        [settings.PURCHASING_EMAIL],
    )


@shared_task(name="orders.cancel_unpaid_orders", ignore_result=True, time_limit=300, soft_time_limit=240)
def cancel_unpaid_orders():
    """Every 6 hours: cancel orders placed more than two days ago and never paid."""
    cutoff = timezone.now() - timedelta(days=2)
    with transaction.atomic():
        cancelled = Order.objects.filter(status=Order.Status.PLACED, created_at__lt=cutoff).update(
            status=Order.Status.CANCELLED
        )
    logger.info("cancelled %d unpaid orders", cancelled)
