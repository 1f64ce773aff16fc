CELERY_BEAT_SCHEDULE = {
    "ignored": {"task": "shop.tasks.a", "schedule": 60},  # noqa: CEL801
    # lint-ignore: beat-entry-without-expires
    "ignored-too": {"task": "shop.tasks.b", "schedule": 60},
    "reported": {"task": "shop.tasks.c", "schedule": 60, "options": {"expires": 60}},  # noqa: CEL202
}
