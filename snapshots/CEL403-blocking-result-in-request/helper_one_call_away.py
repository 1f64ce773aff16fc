"""A function of the same module that waits, called by a view: reported in the function."""
from django.http import JsonResponse

from shop.tasks import render_invoice


def wait_for_invoice(pk):
    return render_invoice.delay(pk).get(timeout=30)


def two_calls_away(pk):
    return wait_for_invoice(pk)  # not followed further


def unused_helper(pk):
    return render_invoice.delay(pk).get()  # no view calls it


def invoice(request, pk):
    return JsonResponse({"path": wait_for_invoice(pk)})


def invoice_again(request, pk):
    return JsonResponse({"path": wait_for_invoice(pk), "other": two_calls_away(pk)})


def shadowing_view(request, pk, unused_helper=None):
    return JsonResponse({"path": unused_helper(pk)})  # the parameter, not the module function
