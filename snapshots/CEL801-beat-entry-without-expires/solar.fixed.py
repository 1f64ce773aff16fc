from celery import schedules

# solar events move by minutes every day: no exact period, the default (3600) is used
CELERY_BEAT_SCHEDULE = {
    "sunrise": {"task": "shop.tasks.lights_off", "schedule": schedules.solar("sunrise", 52.5, 13.4), "options": {"expires": 60 * 60}},
}
