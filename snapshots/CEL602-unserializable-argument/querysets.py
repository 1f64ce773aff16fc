from shop.models import Order
from shop.tasks import export


def export_all():
    export.delay(Order.objects.all())
    export.s(Order.objects.values_list("pk", flat=True)).apply_async()
    export.delay(Order.objects.count())  # a number
