from celery import Task, shared_task

OPTIONS = get_options()
retrying = shared_task(acks_late=True)


@retrying
def preset_task(order_id):
    print(order_id)


@shared_task(**OPTIONS)
def spread(order_id):
    print(order_id)


@shared_task
def updates_state(self, n):
    self.update_state(state="PROGRESS", meta={"n": n})
