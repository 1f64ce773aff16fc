from celery import shared_task


def send_mail(*args):
    """A project helper that only logs: not django.core.mail.send_mail."""


@shared_task
def notify(address):
    send_mail("x", address)
