from celery import Celery, shared_task

app = Celery("shop")


@shared_task(name="basic.send_receipt")
def send_receipt(order_id):
    print(order_id)


@app.task(bind=True, max_retries=3, name="basic.sync_stock")
def sync_stock(self, sku):
    print(sku)


class Jobs:
    @shared_task(name="basic.nightly")
    def nightly():  # Celery uses the function's __name__, not its qualname
        print("nightly")
