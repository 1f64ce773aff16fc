"""`.get()`/`.join()` on things that are not task results: never reported."""
from django.core.cache import cache
from django.http import JsonResponse

from shop.models import Order
from shop.tasks import render_invoice


def lookups(request, pk):
    options = {"a": 1}
    render_invoice.delay(pk)
    value = options.get("a")
    page = request.GET.get("page")
    cart = request.session.get("cart", {})
    order = Order.objects.get(pk=pk)
    cached = cache.get(f"order:{pk}")
    names = ", ".join(["a", "b"])
    return JsonResponse({"v": value, "p": page, "c": cart, "o": order.pk, "x": cached, "n": names})


def result_id_only(request, pk):
    task_id = render_invoice.delay(pk).id
    return JsonResponse({"task_id": task_id, "next": request.POST.get("next")})
