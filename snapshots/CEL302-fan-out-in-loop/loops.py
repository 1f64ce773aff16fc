from celery import shared_task
from django.core.mail import send_mail

from shop.models import Order, User


@shared_task
def newsletter(issue_id):
    for user in User.objects.filter(subscribed=True):
        send_mail("News", str(issue_id), None, [user.email])


@shared_task
def mark_paid(order_ids):
    for order in Order.objects.filter(pk__in=order_ids):
        order.paid = True
        order.save()


@shared_task
def totals(order_ids):
    result = []
    for order in Order.objects.filter(pk__in=order_ids):
        result.append(order.total)  # only builds data
    return result


@shared_task
def fan_out(user_ids):
    for user_id in user_ids:
        notify.delay(user_id)  # already one subtask per item


@shared_task
def retry_loop(url):
    for attempt in range(3):
        send_mail("Ping", url, None, ["ops@example.com"])


def not_a_task(users):
    for user in users:
        send_mail("Hi", "", None, [user.email])


@shared_task
def nested(groups):
    for group in groups:
        for member in group.members.all():
            member.save()
