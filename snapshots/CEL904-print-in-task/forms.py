from celery import Task, shared_task


@shared_task
def prints(sku):
    print("syncing", sku)


class Sync(Task):
    def run(self, sku):
        print(sku)


def not_a_task(sku):
    print(sku)


@shared_task
def silenced(sku):
    print(sku)  # noqa: CEL904
