from celery import Celery
from kombu import Queue

# task_create_missing_queues is on (Celery's default): undeclared queues are created
app = Celery("shop")
app.conf.task_queues = [Queue("default")]
app.conf.task_routes = {"missing_queues_on.build_report": {"queue": "reports"}}


@app.task(queue="payments")
def capture(order_id):
    pass
