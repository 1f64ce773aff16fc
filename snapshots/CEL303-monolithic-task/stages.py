import requests
from celery import shared_task
from django.core.mail import send_mail

from shop.models import Customer, Invoice, Order


@shared_task
def import_order(url):
    data = requests.get(url, timeout=10).json()
    order = Order.objects.create(**data["order"])
    send_mail("Imported", str(order.pk), None, [data["email"]])


@shared_task
def sync_customer(customer_id):
    data = requests.get(f"https://crm.example.com/{customer_id}", timeout=10).json()
    Customer.objects.filter(pk=customer_id).update(**data["customer"])
    Order.objects.bulk_create([Order(**o) for o in data["orders"]])
    Invoice.objects.update_or_create(customer_id=customer_id, defaults=data["invoice"])


@shared_task
def fetch_and_store(url):
    data = requests.get(url, timeout=10).json()
    Order.objects.create(**data)
