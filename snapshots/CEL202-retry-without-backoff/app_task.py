from celery import Celery

app = Celery("shop")
task = app.task


@app.task(autoretry_for=(TimeoutError,))
def charge(order_id):
    pass


@task(autoretry_for=(TimeoutError,))
def refund(order_id):
    pass


@app.task
def plain(order_id):
    pass
