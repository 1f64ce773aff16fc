from celery import Celery

app = Celery("shop", broker="redis://localhost")


@app.task
def send_receipt(order_id):
    pass


@app.task(queue="payments")
def capture_payment(order_id):
    pass


@app.task
def build_report(day):
    pass
