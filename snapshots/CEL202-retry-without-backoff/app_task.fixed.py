from celery import Celery

app = Celery("shop")
task = app.task


@app.task(
    autoretry_for=(TimeoutError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
)
def charge(order_id):
    pass


@task(
    autoretry_for=(TimeoutError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
)
def refund(order_id):
    pass


@app.task
def plain(order_id):
    pass
