import httpx
import requests
import stripe
from celery import shared_task


@shared_task
def push_webhook(url, payload):
    requests.post(url, json=payload, timeout=10)


@shared_task
def fetch_only(url):
    return requests.get(url, timeout=10).json()  # a read: safe to repeat


@shared_task
def delete_remote(url):
    requests.request("DELETE", url, timeout=10)


@shared_task
def with_session(url, payload):
    session = requests.Session()
    session.put(url, json=payload)


@shared_task
def with_client(url, payload):
    with httpx.Client() as client:
        client.patch(url, json=payload)


@shared_task
def charge_card(order_id, amount):
    stripe.PaymentIntent.create(amount=amount, currency="eur", idempotency_key=f"order-{order_id}")


@shared_task
def charge_card_twice(order_id, amount):
    stripe.PaymentIntent.create(amount=amount, currency="eur")


@shared_task
def refund(gateway, payment_id):
    gateway.refund(payment_id)


@shared_task
def under_lock(order_id):
    with cache.lock(f"order:{order_id}"):
        requests.post("https://example.com/orders", json={"id": order_id})
    requests.post("https://example.com/done", json={"id": order_id})
