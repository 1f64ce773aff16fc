from celery import chain, chord, shared_task


@shared_task
def fetch(url):
    return url


@shared_task(ignore_result=True)
def merge(pages):
    print(pages)


@shared_task
def parse(page):
    return page


@shared_task(ignore_result=True)
def store(data):
    print(data)


@shared_task(ignore_result=True)
def cleanup():
    print("done")


def crawl(urls):
    chord([fetch.s(u) for u in urls])(merge.s())
    chain(parse.s("x"), store.s(), cleanup.si())()
