from myproject.cron import crontab


def build(crontab_factory):
    return crontab_factory(hour=3)


nightly = crontab(hour=3)


def shadowed(crontab):
    return crontab(hour=3)
