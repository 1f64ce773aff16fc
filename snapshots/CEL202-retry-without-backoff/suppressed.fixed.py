from celery import shared_task


@shared_task(autoretry_for=(IOError,))  # noqa: CEL202
def by_code():
    pass


@shared_task(autoretry_for=(IOError,))  # noqa
def by_bare_noqa():
    pass


# lint-ignore: retry-without-backoff
@shared_task(autoretry_for=(IOError,))
def by_kebab_name():
    pass


@shared_task(autoretry_for=(IOError,))  # lint-fixme: RetryWithoutBackoff
def by_fixit_name():
    pass


@shared_task(autoretry_for=(IOError,), retry_backoff=True, retry_backoff_max=600, retry_jitter=True)  # noqa: CEL201
def other_code_still_reported():
    pass
