import requests
from celery import shared_task

from shop.models import Order


@shared_task
def fetch_and_store(url):
    data = requests.get(url, timeout=10).json()
    Order.objects.create(**data)
