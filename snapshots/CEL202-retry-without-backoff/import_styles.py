import celery
from celery import shared_task
from celery import shared_task as st

import requests


@shared_task(autoretry_for=(requests.RequestException,))
def refresh_rates():
    requests.get("https://rates.example.com")


@celery.shared_task(autoretry_for=(requests.RequestException,), max_retries=5)
def sync_stock(sku):
    requests.post("https://stock.example.com", json={"sku": sku})


@st(bind=True, autoretry_for=(ConnectionError,))
def ping_partner(self):
    pass
