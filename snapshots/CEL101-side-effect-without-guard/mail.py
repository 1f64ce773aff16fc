from celery import shared_task
from django.core.cache import cache
from django.core.mail import EmailMessage, EmailMultiAlternatives, mail_admins, send_mail

from shop.models import Order


def send_welcome(user):
    # not a task: runs once per call
    send_mail("Welcome", "Hello", None, [user.email])


@shared_task
def send_receipt(order_id):
    order = Order.objects.get(pk=order_id)
    send_mail("Your receipt", str(order.total), None, [order.email])


@shared_task
def send_receipt_once(order_id):
    order = Order.objects.get(pk=order_id)
    if order.receipt_sent:
        return  # a redelivered message: already done
    send_mail("Your receipt", str(order.total), None, [order.email])


@shared_task
def send_digest(user_id):
    if not cache.add(f"digest:{user_id}", 1, timeout=3600):
        return
    EmailMessage("Digest", "...", to=["a@example.com"]).send()


@shared_task
def send_newsletter(address):
    message = EmailMultiAlternatives("News", "text", to=[address])
    message.attach_alternative("<p>html</p>", "text/html")
    message.send()


@shared_task
def alert_admins(reason):
    mail_admins("Alert", reason)


@shared_task
def welcome_once(user_id):
    profile, created = Profile.objects.get_or_create(user_id=user_id)
    if created:
        send_mail("Welcome", "Hello", None, [profile.email])


@shared_task
def suppressed(address):
    send_mail("x", "y", None, [address])  # noqa: CEL101
