from datetime import timedelta

from celery import Celery
from celery.schedules import crontab

app = Celery("shop")

app.conf.beat_schedule = {
    "conf-entry": {"task": "shop.tasks.a", "schedule": timedelta(minutes=1), "options": {"expires": 60}},
}
app.conf.update(
    beat_schedule={
        "update-entry": {"task": "shop.tasks.b", "schedule": crontab(minute="*/5"), "options": {"expires": 5 * 60}},
    },
)
app.conf.beat_schedule["item-entry"] = {
    "task": "shop.tasks.c",
    "schedule": 300,
    "options": {"expires": 5 * 60},
}
app.conf.beat_schedule.update({"updated": {"task": "shop.tasks.d", "schedule": 20, "options": {"expires": 20}}})

CELERY_BEAT_SCHEDULE = dict(
    call_entry=dict(task="shop.tasks.e", schedule=timedelta(hours=1), options={"expires": 60 * 60}),
)
