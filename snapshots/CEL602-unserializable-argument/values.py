from celery import shared_task

from shop.models import Order


@shared_task
def export(ids):
    pass


def helper():
    pass


def export_paid():
    export.delay(Order.objects.filter(paid=True))
    export.delay(list(Order.objects.filter(paid=True).values_list("pk", flat=True)))
    paid = Order.objects.filter(paid=True)
    export.apply_async(args=(paid,))


def upload(request):
    export.delay(request.FILES["file"])
    export.delay(request)
    with open("/tmp/x") as handle:
        export.delay(handle)


def callbacks():
    export.delay(lambda: 1)
    export.delay(helper)
    export.delay("helper")  # a name is fine
    export.delay(x for x in range(3))


class Exporter:
    def run(self):
        export.delay(self)
