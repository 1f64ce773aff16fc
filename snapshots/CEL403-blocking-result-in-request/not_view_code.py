"""Waits in Celery tasks (CEL304's) and in code that is not a view."""
from celery import Task, shared_task

from proj.celery import app
from shop.tasks import add


@shared_task
def combine(request):
    return add.delay(1, 2).get(disable_sync_subtasks=False)


@app.task(bind=True)
def combine_bound(self, request):
    return add.delay(1, 2).get()


class Combine(Task):
    def run(self, request):
        return add.delay(1, 2).get()


def management_helper(pk):
    return add.delay(pk, 1).get()


def report(user):
    result = add.delay(user.pk, 1)
    return result.get(timeout=5)
