from celery import Celery

app = Celery("shop")
app.conf.result_backend = "redis://localhost/1"
task = app.task


@app.task(
    bind=True,
    acks_late=True,
)
def sync(self, sku):
    print(sku)


@app.task(
    bind=True,
    acks_late=True  # no trailing comma
)
def sync_two(self, sku):
    print(sku)


@task
def aliased(sku):
    print(sku)
