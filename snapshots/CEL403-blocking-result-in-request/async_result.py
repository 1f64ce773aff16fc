"""Results looked up by id: celery.result.AsyncResult and <app>.AsyncResult."""
import time

from celery.result import AsyncResult
from celery.result import GroupResult as GR
from django.http import JsonResponse

from proj.celery import app


def status(request, task_id):
    return JsonResponse({"value": AsyncResult(task_id).get()})


def app_status(request, task_id):
    result = app.AsyncResult(task_id)
    return JsonResponse({"value": result.get(timeout=10)})


def group_status(request, group_id):
    return JsonResponse({"values": GR.restore(group_id).join()})


def polling(request, task_id):
    """A polling endpoint: it reads the state first, so `.get()` returns at once."""
    result = AsyncResult(task_id)
    if not result.ready():
        return JsonResponse({"state": result.state}, status=202)
    return JsonResponse({"value": result.get()})


def polling_direct(request, task_id):
    if AsyncResult(task_id).successful():
        return JsonResponse({"value": AsyncResult(task_id).get()})
    return JsonResponse({}, status=202)


def shadowed(request, task_id):
    AsyncResult = request.session  # not Celery's
    return JsonResponse({"value": AsyncResult(task_id).get("x")})


def other_object(request, task_id, client):
    return JsonResponse({"value": client.AsyncResult(task_id).get()})


def busy_wait(request, task_id):
    """Polling inside the request is still waiting in the request."""
    result = AsyncResult(task_id)
    while not result.ready():
        time.sleep(0.5)
    return JsonResponse({"value": result.get()})
