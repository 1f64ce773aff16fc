from celery import shared_task

from proj.base import ProjectTask


@shared_task(base=ProjectTask)
def inherits_unknown(sku): ...  # what ProjectTask sets is not readable here: quiet


@shared_task(base=ProjectTask, autoretry_for=(Exception,))
def written_here(sku): ...  # reported: written on the task itself
