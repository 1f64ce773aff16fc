from datetime import timedelta as td

from celery import Celery

app = Celery("shop")


@app.on_after_configure.connect
def setup(sender, **kwargs):
    sender.add_periodic_task(td(days=1), cleanup.s(), name="daily cleanup")
    sender.add_periodic_task(86400.0, cleanup.s())  # noqa: CEL802


def local(timedelta):
    app.add_periodic_task(timedelta(days=1), cleanup.s(), name="shadowed")
