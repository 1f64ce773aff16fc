from django.views import View

from shop.tasks import send_receipt


class OrderView(View):
    def post(self, request, pk):
        send_receipt.delay(pk)
