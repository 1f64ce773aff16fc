"""Methods of view classes (Django, DRF) and methods taking `request`."""
from django.http import JsonResponse
from django.views import View
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.tasks import create_label, render_invoice


class ShippingLabelView(View):
    def get(self, request, order_id):
        label_url = create_label.delay(order_id).get(timeout=20)
        return JsonResponse({"url": label_url})


class InvoiceAPI(APIView):
    def post(self, request):
        result = render_invoice.delay(request.data["pk"])
        return Response({"path": result.get()})


class OrderViewSet(viewsets.ModelViewSet):
    def perform_create(self, serializer):
        order = serializer.save()
        create_label.delay(order.pk).get()


class OrderAdminActions:
    def export(self, request, queryset):
        return render_invoice.delay([o.pk for o in queryset]).get()


class Reporter:
    """Not a view: no `request`."""

    def build(self, pk):
        return render_invoice.delay(pk).get()
