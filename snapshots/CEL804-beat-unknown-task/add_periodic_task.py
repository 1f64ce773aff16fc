from celery import Celery, signature

app = Celery("shop")


@app.task
def ping(word):
    """Answer."""
    return word


@app.on_after_configure.connect
def setup_periodic_tasks(sender, **kwargs):
    # a task object: Python itself checks the name
    sender.add_periodic_task(60.0, ping.s("hello"), name="ping")
    sender.add_periodic_task(60.0, signature("add_periodic_task.pong", args=("x",)), name="by name")
    sender.add_periodic_task(60.0, signature("add_periodic_task.ping", args=("x",)), name="by right name")
