from celery import shared_task as job


@job(bind=True)
def aliased(self, sku):
    print(self.request.id, sku)
