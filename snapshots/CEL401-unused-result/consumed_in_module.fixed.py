from celery import shared_task


@shared_task
def price(sku):
    return 10


@shared_task
def label(sku):
    return sku


@shared_task
def report(day):
    return day


@shared_task
def progress(self_id):
    return 1


@shared_task(ignore_result=True)
def unused(sku):
    return sku


def show_price(sku):
    return price.delay(sku).get(timeout=5)


def start_label(sku):
    result = label.delay(sku)
    return result  # the result object escapes: someone may read it


def start_report(request, day):
    return {"task_id": report.delay(day).id}  # the id leaves the function


def poll(sku):
    res = progress.apply_async((sku,))
    if res.ready():
        return res.result
    unused.delay(sku)
