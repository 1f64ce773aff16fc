from celery import shared_task


@shared_task(soft_time_limit=600, time_limit=300)
def inverted():
    pass


@shared_task(soft_time_limit=300, time_limit=300)
def equal():
    pass


@shared_task(soft_time_limit=300, time_limit=360)
def fine():
    pass


@shared_task(time_limit=0)
def zero():
    pass


@shared_task(soft_time_limit=5 * 60, time_limit=4 * 60)
def computed():
    pass


@shared_task(soft_time_limit=LIMIT, time_limit=60)
def unreadable():
    pass
