from celery import Celery, shared_task

app = Celery("shop")


@shared_task
def send_receipt(order_id):
    print(order_id)


@app.task(bind=True, max_retries=3)
def sync_stock(self, sku):
    print(sku)


class Jobs:
    @shared_task
    def nightly():  # Celery uses the function's __name__, not its qualname
        print("nightly")
