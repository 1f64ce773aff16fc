from celery import Celery
from celery.schedules import crontab

app = Celery("shop")


@app.task(time_limit=120)
def ping(word):
    return word


@app.task(time_limit=30)
def fast(word):
    return word


@app.on_after_configure.connect
def setup_periodic_tasks(sender, **kwargs):
    sender.add_periodic_task(60.0, ping.s("hello"), name="ping every minute")
    sender.add_periodic_task(crontab(minute="*"), ping.s("world"))
    sender.add_periodic_task(60.0, fast.s("fast"), name="fast")
    sender.add_periodic_task(60.0, ping.s("short"), name="short limit", time_limit=50)


def not_the_task(sender, ping):
    # `ping` is a parameter here, not the task
    sender.add_periodic_task(60.0, ping.s("other"), name="shadowed")
