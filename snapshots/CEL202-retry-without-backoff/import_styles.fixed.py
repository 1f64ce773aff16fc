import celery
from celery import shared_task
from celery import shared_task as st

import requests


@shared_task(
    autoretry_for=(requests.RequestException,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
)
def refresh_rates():
    requests.get("https://rates.example.com")


@celery.shared_task(
    autoretry_for=(requests.RequestException,),
    max_retries=5,
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
)
def sync_stock(sku):
    requests.post("https://stock.example.com", json={"sku": sku})


@st(
    bind=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
)
def ping_partner(self):
    pass
