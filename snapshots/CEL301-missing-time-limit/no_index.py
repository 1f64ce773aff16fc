from celery import shared_task


@shared_task
def unknown_settings():
    # without the index the global settings are unknown: quiet
    pass
