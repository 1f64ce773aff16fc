from celery import Celery

app = Celery("shop")
task = app.task


@app.task(
    bind=True,
    acks_late=True,
)
def sync(self, sku):
    print(sku)


@task
def aliased(sku):
    print(sku)
