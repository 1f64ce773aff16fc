from celery import Celery
from kombu import Queue

app = Celery("shop")
app.conf.task_queues = [Queue("default"), Queue("email")]
app.conf.task_default_queue = "default"
app.conf.task_create_missing_queues = False
app.conf.task_routes = {
    "undeclared.send_receipt": {"queue": "email"},
    "undeclared.build_report": {"queue": "reports"},
    "undeclared.sync_*": "sync",
}


@app.task(queue="email")
def send_receipt(order_id):
    pass


@app.task(queue="payments")
def capture(order_id):
    pass


@app.task
def build_report(day):
    pass
