from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "every-4-hours": {"task": "shop.tasks.a", "schedule": crontab(minute=0, hour="*/4"), "options": {"expires": 4 * 60 * 60}},
    "office-hours": {"task": "shop.tasks.b", "schedule": crontab(minute="*/15", hour="9-17"), "options": {"expires": 15 * 60}},
    "twice-a-day": {"task": "shop.tasks.c", "schedule": crontab(minute=0, hour="6,18"), "options": {"expires": 12 * 60 * 60}},
    "weekly": {"task": "shop.tasks.d", "schedule": crontab(minute=0, hour=0, day_of_week="mon"), "options": {"expires": 7 * 24 * 60 * 60}},
    "mon-fri": {"task": "shop.tasks.e", "schedule": crontab(minute=30, hour=7, day_of_week="mon-fri"), "options": {"expires": 24 * 60 * 60}},
    "monthly": {"task": "shop.tasks.f", "schedule": crontab(minute=0, hour=0, day_of_month=1), "options": {"expires": 60 * 60}},
    "minute-missing": {"task": "shop.tasks.g", "schedule": crontab(hour=3)},
    "positional": {"task": "shop.tasks.h", "schedule": crontab("0", "2"), "options": {"expires": 24 * 60 * 60}},
    "every-minute": {"task": "shop.tasks.i", "schedule": crontab(), "options": {"expires": 60}},
}
