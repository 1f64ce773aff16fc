from celery import Celery

app = Celery("left_alone")


def route_by_prefix(name, args, kwargs, options, task=None, **kw):
    return {"queue": "default"}


# router functions, dotted paths to routers and names sent with send_task are not checked
app.conf.task_routes = (route_by_prefix, "left_alone.routers.Router")
CELERY_TASK_ROUTES = {"left_alone.remote_job": "remote", "*": "default", "unknown": "x"}


@app.task
def known():
    pass


def call_remote():
    app.send_task("left_alone.remote_job")
