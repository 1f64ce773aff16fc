from celery import Celery

app = Celery("shop")


@app.task(soft_timelimit=30, rate_limit="10/m")
def throttled():
    pass


@app.task(bind=True, typing=False, throws=(KeyError,), trail=False)
def known_rarities(self):
    pass
