from django_celery_beat.models import IntervalSchedule, PeriodicTask


def install():
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.create(name="sync", task="shop.tasks.sync", interval=every_minute)
    PeriodicTask.objects.get_or_create(name="ok", defaults={"task": "shop.tasks.ok", "expire_seconds": 60})
    PeriodicTask.objects.update_or_create(name="upd", defaults={"task": "shop.tasks.upd", "interval": every_minute})
    PeriodicTask.objects.create(name="once", task="shop.tasks.once", one_off=True)
    PeriodicTask.objects.create(**spec())


def forwards(apps, schema_editor):
    Periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    Periodic.objects.create(name="migrated", task="shop.tasks.migrated")


def unrelated(PeriodicTask):
    PeriodicTask.objects.create(name="param shadows the import")
