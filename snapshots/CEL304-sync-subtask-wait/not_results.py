from celery import shared_task


@shared_task
def joins(parts, queue):
    text = ",".join(parts)  # str.join
    queue.join()  # not a task result
    return text
