from celery import group, shared_task
from celery.result import AsyncResult


@shared_task
def compute(ids):
    return len(ids)


@shared_task
def report(ids):
    result = compute.delay(ids)
    return result.get(timeout=30)


@shared_task
def inline(ids):
    return compute.apply_async((ids,)).get(disable_sync_subtasks=False)


@shared_task
def follow(task_id):
    AsyncResult(task_id).wait()


@shared_task
def whole_group(chunks):
    job = group(compute.s(c) for c in chunks).apply_async()
    return job.join()


@shared_task
def lookup(data, key):
    return data.get(key)  # a dict


def view(request):
    # not a task: CEL403's business
    return compute.delay([1]).get(timeout=5)
