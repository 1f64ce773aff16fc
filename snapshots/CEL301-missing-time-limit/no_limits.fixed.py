from celery import Celery, Task, shared_task

app = Celery("shop")
retrying = shared_task(autoretry_for=(IOError,), retry_backoff=True)


@shared_task(soft_time_limit=300, time_limit=360)
def bare():
    pass


@app.task(bind=True, soft_time_limit=300, time_limit=360)
def with_call(self):
    pass


@shared_task(
    name="shop.exploded",
    ignore_result=True,
    soft_time_limit=300,
    time_limit=360,
)
def exploded():
    pass


@shared_task(soft_time_limit=60)
def soft_only():
    pass


@shared_task(time_limit=None)
def explicit_none():
    pass


@retrying
def preset():
    pass


class Render(Task):
    name = "shop.render"

    def run(self, report_id):
        pass


class Limited(Task):
    time_limit = 120


@shared_task(base=Limited)
def inherited_limit():
    pass
