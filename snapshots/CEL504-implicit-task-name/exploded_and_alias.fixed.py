from celery import Celery

app = Celery("shop")
task = app.task


@app.task(
    bind=True,
    acks_late=True,
    name="exploded_and_alias.sync",
)
def sync(self, sku):
    print(sku)


@task(name="exploded_and_alias.aliased")
def aliased(sku):
    print(sku)
