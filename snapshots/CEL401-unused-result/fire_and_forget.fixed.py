from celery import Celery, shared_task

app = Celery("shop", broker="redis://localhost", backend="redis://localhost")


@shared_task(ignore_result=True)
def send_receipt(order_id):
    print("receipt", order_id)
    return


@app.task(bind=True, ignore_result=True)
def sync_stock(self, sku):
    if not sku:
        return None
    print(sku)


@shared_task(ignore_result=False)  # an explicit choice: left alone
def kept(order_id):
    print(order_id)


@shared_task(ignore_result=True)
def already(order_id):
    print(order_id)


def place_order(order_id):
    send_receipt.delay(order_id)
    sync_stock.apply_async(("sku",), countdown=5)
