from celery import Celery
from kombu import Queue

app = Celery("shop")
app.conf.task_queues = [Queue(name) for name in QUEUE_NAMES]
app.conf.task_create_missing_queues = False


@app.task(queue="payments")
def capture(order_id):
    pass
