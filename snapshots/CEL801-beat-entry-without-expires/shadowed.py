from datetime import timedelta


def build(timedelta):
    return {"CELERY_BEAT_SCHEDULE": None}


def configure(app, timedelta):
    app.conf.beat_schedule = {"a": {"task": "shop.tasks.a", "schedule": timedelta(minutes=1)}}


app_schedule = {"b": {"task": "shop.tasks.b", "schedule": timedelta(minutes=1)}}
