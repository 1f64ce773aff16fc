from celery import Celery

app = Celery("shop", broker="redis://localhost", backend="redis://localhost")


# the added option makes the decorator too long: wrapped as black wraps it
@app.task(
    bind=True,
    retry_backoff=30,
    retry_kwargs={"max_retries": 5},
    acks_late=True,
    ignore_result=True,
)
def sync_stock(self, sku):
    print(sku)


# black's shape for one long argument; with a second one, black writes a trailing comma
@app.task(
    name="shop.tasks.a_task_name_long_enough_for_black_to_give_it_a_line_of_its_own",
    ignore_result=True,
)
def named(sku):
    print(sku)


class Jobs:
    @app.task(
        bind=True, retry_backoff=30, retry_kwargs={"max_retries": 5}, ignore_result=True
    )  # keep me
    def nested(self, sku):
        print(sku)


def place_order(sku):
    sync_stock.delay(sku)
    Jobs.nested.delay(sku)
    named.delay(sku)
