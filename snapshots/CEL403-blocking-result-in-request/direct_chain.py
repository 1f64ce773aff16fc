"""Waiting on what a dispatch returns, in the same expression."""
from celery import chain, group
from django.http import JsonResponse

from proj.celery import app
from shop.tasks import add, create_label, render_invoice


def invoice(request, pk):
    path = render_invoice.delay(pk).get()
    return JsonResponse({"path": path})


def label(request, pk):
    return JsonResponse({"url": create_label.apply_async((pk,), queue="labels").get(timeout=20)})


def remote(request):
    value = app.send_task("billing.total", args=[request.user.pk]).get(timeout=None)
    return JsonResponse({"total": value})


def totals(request):
    sums = group(add.s(i, i) for i in range(10))().get(timeout=30)
    chained = chain(add.s(1, 2), add.s(3)).delay().wait()
    return JsonResponse({"sums": sums, "chained": chained})
