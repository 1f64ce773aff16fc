from celery import shared_task


@shared_task
def bare():
    pass


@shared_task(bind=True, max_retries=3)
def manual_retry(self):
    try:
        pass
    except IOError as exc:
        raise self.retry(exc=exc, countdown=10)


@shared_task(autoretry_for=())
def empty_autoretry():
    pass
