from celery import shared_task
from rich import print


@shared_task
def pretty(sku):
    print(sku)  # rich's print: not reported
