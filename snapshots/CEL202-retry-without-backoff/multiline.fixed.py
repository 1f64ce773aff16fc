from celery import shared_task


@shared_task(
    bind=True,
    autoretry_for=(ConnectionError, TimeoutError),  # flaky partner API
    max_retries=5,
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
)
def push_to_erp(self, order_id):
    pass


class Jobs:
    @staticmethod
    @shared_task(
        autoretry_for=(ConnectionError,),
        acks_late=True,
        retry_backoff=True,
        retry_backoff_max=600,
        retry_jitter=True
    )
    def nested():
        pass
