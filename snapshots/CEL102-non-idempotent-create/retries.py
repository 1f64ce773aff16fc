from celery import shared_task

from shop.models import Event, Payment


@shared_task
def log_event(order_id):
    # no retries, no acks_late: one run per delivery
    Event.objects.create(order_id=order_id)


@shared_task(autoretry_for=(IOError,), retry_backoff=True)
def record_payment(order_id, amount):
    Payment.objects.create(order_id=order_id, amount=amount)


@shared_task(acks_late=True)
def record_events(order_ids):
    Event.objects.bulk_create([Event(order_id=i) for i in order_ids])


@shared_task(bind=True)
def record_and_push(self, order_id):
    Event.objects.create(order_id=order_id)
    try:
        push(order_id)
    except IOError as exc:
        raise self.retry(exc=exc)


@shared_task(autoretry_for=(IOError,), retry_backoff=True)
def record_once(order_id, amount):
    Payment.objects.get_or_create(order_id=order_id, defaults={"amount": amount})


@shared_task(autoretry_for=(IOError,), retry_backoff=True)
def guarded(order_id, amount):
    if Payment.objects.filter(order_id=order_id).exists():
        return
    Payment.objects.create(order_id=order_id, amount=amount)


@shared_task(autoretry_for=())
def empty_autoretry(order_id):
    Event.objects.create(order_id=order_id)
