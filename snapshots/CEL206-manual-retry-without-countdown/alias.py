from celery import shared_task as job


@job(bind=True)
def aliased(task, sku):
    raise task.retry()


@job(bind=True)
def other_object(self, sku):
    raise self.client.retry()  # not Celery's retry
