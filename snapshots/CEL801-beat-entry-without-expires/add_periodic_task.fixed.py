from celery import Celery
from celery.schedules import crontab

app = Celery("shop")


@app.task
def ping(word):
    return word


@app.task(expires=30)
def self_expiring():
    pass


@app.on_after_configure.connect
def setup_periodic_tasks(sender, **kwargs):
    sender.add_periodic_task(10.0, ping.s("hello"), name="ping every 10", expires=10)
    sender.add_periodic_task(crontab(minute="*/30"), ping.s("world"), expires=30 * 60)
    sender.add_periodic_task(
        60.0,
        ping.s("exploded"),
        name="exploded",
        expires=60,
    )
    sender.add_periodic_task(30.0, ping.s("set").set(expires=30), name="already set")
    sender.add_periodic_task(30.0, ping.s("opts"), name="given", expires=25)
    sender.add_periodic_task(30.0, ping.s("spread"), **kwargs)
    sender.add_periodic_task(30.0, self_expiring.s(), name="task-level expires")
    sender.add_periodic_task(30.0, make_signature(), name="unknown signature")
