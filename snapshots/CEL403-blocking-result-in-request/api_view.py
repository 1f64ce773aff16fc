"""DRF function views, whatever their first parameter is called."""
from rest_framework.decorators import api_view
from rest_framework.response import Response

from shop.tasks import add


@api_view(["POST"])
def total(req):
    result = add.delay(req.data["a"], req.data["b"])
    return Response({"total": result.get(timeout=3)})


@api_view
def total_plain(r):
    return Response({"total": add.delay(1, 2).get()})
