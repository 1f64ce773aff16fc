"""Suppression comments."""
from django.http import JsonResponse

from shop.tasks import add


def total(request):
    value = add.delay(1, 2).get(timeout=2)  # noqa: CEL403
    other = add.delay(3, 4).get(timeout=2)  # lint-ignore: blocking-result-in-request
    third = add.delay(5, 6).get(timeout=2)  # noqa: CEL701
    return JsonResponse({"v": value, "o": other, "t": third})
