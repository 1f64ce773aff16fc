import requests
from celery import shared_task


@shared_task
def push_all(urls, payload):
    for url in urls:
        requests.post(url, json=payload, timeout=10)


@shared_task
def push_all_noqa(urls, payload):
    for url in urls:  # noqa: CEL302
        requests.post(url, json=payload, timeout=10)
