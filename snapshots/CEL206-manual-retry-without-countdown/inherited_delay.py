from celery import Task, shared_task


class Patient(Task):
    default_retry_delay = 5


class Impatient(Task):
    acks_late = True


@shared_task(bind=True, base=Patient)
def patient(self, sku):
    raise self.retry()  # default_retry_delay from Patient: not reported


@shared_task(bind=True, base=Impatient)
def impatient(self, sku):
    raise self.retry()
