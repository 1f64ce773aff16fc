"""The result is assigned first, then waited on; the last binding before the wait decides."""
from django.http import FileResponse, JsonResponse

from shop.tasks import add, render_invoice


def invoice(request, pk):
    result = render_invoice.delay(pk)
    path = result.get(timeout=5)
    return FileResponse(open(path, "rb"))


def annotated(request, pk):
    result: object = render_invoice.apply_async(args=[pk])
    if request.GET.get("wait"):
        return JsonResponse({"path": result.wait()})
    return JsonResponse({"id": result.id})


def walrus(request, pk):
    if (pending := add.delay(pk, 1)) is not None:
        return JsonResponse({"sum": pending.collect()})
    return JsonResponse({})


def reassigned_before(request, pk):
    result = render_invoice.delay(pk)
    result = {"id": result.id}  # no longer the task result
    return JsonResponse({"id": result.get("id")})


def result_of_get_rebinds(request, pk):
    result = add.delay(pk, 1)
    result = result.get(timeout=3)  # reported: waits; then `result` is a plain value
    return JsonResponse({"sum": result.get("sum")})


def comprehension_target(request, pk):
    item = add.delay(pk, 1)
    rows = [item.get("x") for item in request.data["rows"]]  # the comprehension's own `item`
    return JsonResponse({"rows": rows, "id": item.id})
