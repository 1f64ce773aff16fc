from celery import shared_task

from shop.services import fetch, notify, store


@shared_task
def import_order(url):
    # the stages live in helpers: not counted
    data = fetch(url)
    store(data)
    notify(data)
