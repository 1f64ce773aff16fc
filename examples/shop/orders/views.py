from functools import partial

from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_POST

from . import services
from .models import Customer, Order, Product
from .tasks import (
    charge_customer,
    create_shipping_label,
    export_orders_csv,
    import_price_list,
    record_customer_activity,
    refund_payment,
    render_invoice,
    sync_customer_to_crm,
)


def _cart(request):
    """The session cart as a list of (product, quantity)."""
    cart = request.session.get("cart", {})
    products = Product.objects.in_bulk([int(pk) for pk in cart])
    return [(products[int(pk)], qty) for pk, qty in cart.items() if int(pk) in products]


@login_required
def order_detail(request, order_id):
    order = get_object_or_404(Order, pk=order_id, customer__user=request.user)
    lines = [
        {"sku": line.product.sku, "quantity": line.quantity, "subtotal": str(line.subtotal)}
        for line in order.lines.select_related("product")
    ]
    return JsonResponse({"id": order.pk, "status": order.status, "total": str(order.total), "lines": lines})


@login_required
@require_POST
def checkout(request):
    customer = get_object_or_404(Customer, user=request.user)
    with transaction.atomic():
        order = services.create_order(customer, _cart(request))
        services.reserve_stock(order)
    transaction.on_commit(partial(charge_customer.delay, order.pk))
    request.session["cart"] = {}
    sync_customer_to_crm.delay(customer)
    record_customer_activity.delay(request.user, "checkout")
    return redirect("orders:detail", order_id=order.pk)


@login_required
def invoice_download(request, order_id):
    order = get_object_or_404(Order, pk=order_id, customer__user=request.user)
    result = render_invoice.delay(order.pk)
    path = result.get()
    return FileResponse(open(path, "rb"), as_attachment=True, filename=f"invoice-{order.pk}.txt")


@login_required
def export_orders(request):
    orders = Order.objects.filter(customer__user=request.user).order_by("-created_at")
    export_orders_csv.delay(orders, request.user.email)
    return JsonResponse({"status": "queued"}, status=202)


@transaction.non_atomic_requests
@login_required
@require_POST
def cancel_order(request, order_id):
    """Cancel an unshipped order; the refund is queued once the cancellation is committed."""
    with transaction.atomic():
        order = get_object_or_404(Order.objects.select_for_update(), pk=order_id, customer__user=request.user)
        Order.objects.filter(pk=order.pk).update(status=Order.Status.CANCELLED)
        transaction.on_commit(partial(refund_payment.delay, order.pk))
    return redirect("orders:detail", order_id=order.pk)


@method_decorator(permission_required("orders.change_product"), name="dispatch")
class PriceListUploadView(View):
    def post(self, request):
        import_price_list.delay(request.FILES["price_list"])
        return JsonResponse({"status": "queued"}, status=202)


@method_decorator(login_required, name="dispatch")
class ShippingLabelView(View):
    def get(self, request, order_id):
        order = get_object_or_404(Order, pk=order_id, customer__user=request.user)
        label_url = create_shipping_label.delay(order.pk).get(timeout=20)
        return redirect(label_url)
