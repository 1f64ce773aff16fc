from celery import Celery

app = Celery("shop")
app.conf.result_backend = "redis://localhost/1"
task = app.task


@app.task(
    bind=True,
    acks_late=True,
    ignore_result=True,
)
def sync(self, sku):
    print(sku)


@app.task(
    bind=True,
    acks_late=True,  # no trailing comma
    ignore_result=True
)
def sync_two(self, sku):
    print(sku)


@task(ignore_result=True)
def aliased(sku):
    print(sku)
