# -*- coding: latin-1 -*-
from celery import shared_task


@shared_task(autoretry_for=(IOError,))
def café_name_in_comment():  # café
    pass
