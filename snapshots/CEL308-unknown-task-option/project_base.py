from celery import Task, shared_task


class LockingTask(Task):
    lock_ttl = 60
    lock_key = None


@shared_task(base=LockingTask, lock_ttl=120, ignore_results=True)
def with_project_base():
    pass
