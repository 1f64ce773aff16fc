from datetime import timedelta

from celery.schedules import crontab

from shop.settings_base import BASE_ENTRY, get_interval, make_entry

OPTIONS = {"queue": "slow"}

CELERY_BEAT_SCHEDULE = {
    "made": make_entry("shop.tasks.made", 60),
    "unknown-schedule": {"task": "shop.tasks.unknown", "schedule": get_interval()},
    "named-options": {"task": "shop.tasks.named", "schedule": 60, "options": OPTIONS},
    "spread": {**BASE_ENTRY, "task": "shop.tasks.spread", "schedule": 60},
    "options-call": {"task": "shop.tasks.opts", "schedule": 60, "options": get_options()},
    "spread-options": {"task": "shop.tasks.spread_opts", "schedule": 60, "options": {**OPTIONS}},
}

for name in ("a", "b"):
    CELERY_BEAT_SCHEDULE[f"loop-{name}"] = {"task": f"shop.tasks.{name}", "schedule": timedelta(minutes=5)}


def schedule_for(minute, hour):
    return {"x": {"task": "shop.tasks.x", "schedule": crontab(minute, hour)}}


CELERY_BEAT_SCHEDULE.update(schedule_for("0", "4"))
