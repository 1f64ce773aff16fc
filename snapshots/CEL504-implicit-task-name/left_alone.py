from celery import Task, shared_task

retrying = shared_task(acks_late=True)


@shared_task(name="shop.pinned")
def pinned():
    pass


@shared_task(**get_options())
def spread():
    pass


@retrying
def preset_task():
    pass


class Named(Task):
    name = "shop.named"

    def run(self):
        pass
