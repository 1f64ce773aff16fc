# without the ProjectIndex: only schedules written next to the task are seen
from celery import Celery

app = Celery("shop")


@app.task
def ping(word):
    return word


@app.task(bind=True)
def documented(self):
    """Refresh the exchange rates (every hour, ~2 s; a skipped run is harmless)."""


@app.task
def not_scheduled():
    pass


@app.task
def scheduled_twice():
    pass


@app.task
def suppressed():  # the finding is at the decorator: the noqa goes there
    pass


@app.task  # noqa: CEL805
def suppressed_at_decorator():
    pass


@app.on_after_configure.connect
def setup_periodic_tasks(sender, **kwargs):
    sender.add_periodic_task(60.0, ping.s("hello"), name="ping")
    sender.add_periodic_task(3600.0, documented.s())
    sender.add_periodic_task(60.0, scheduled_twice.s(), name="first")
    sender.add_periodic_task(120.0, scheduled_twice.s(), name="second")
    sender.add_periodic_task(120.0, suppressed.s(), name="suppressed")
    sender.add_periodic_task(120.0, suppressed_at_decorator.s(), name="suppressed at decorator")
