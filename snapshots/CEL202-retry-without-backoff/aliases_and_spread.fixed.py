from celery import Task, shared_task

shared_task_with_retry = shared_task(acks_late=True, autoretry_for=(IOError,), retry_backoff=True, retry_backoff_max=600, retry_jitter=True)

RETRY_OPTIONS = {"autoretry_for": (IOError,), "max_retries": 5}
BACKOFF_OPTIONS = {"autoretry_for": (IOError,), "retry_backoff": True}


@shared_task_with_retry
def uses_alias():
    pass


@shared_task(
    **RETRY_OPTIONS, retry_backoff=True, retry_backoff_max=600, retry_jitter=True
)
def spread_without_backoff():
    pass


@shared_task(**BACKOFF_OPTIONS)
def spread_with_backoff():
    pass


@shared_task(autoretry_for=(IOError,), **load_options())
def unknown_spread():
    pass


@shared_task(base=CustomTask, autoretry_for=(IOError,))
def custom_base_may_set_backoff():
    pass


@shared_task(
    base=Task,
    autoretry_for=(IOError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
)
def plain_base():
    pass
