from django.urls import include, path

from orders import views

order_patterns = [
    path("checkout/", views.checkout, name="checkout"),
    path("export/", views.export_orders, name="export"),
    path("price-list/", views.PriceListUploadView.as_view(), name="price-list"),
    path("<int:order_id>/", views.order_detail, name="detail"),
    path("<int:order_id>/invoice/", views.invoice_download, name="invoice"),
    path("<int:order_id>/label/", views.ShippingLabelView.as_view(), name="label"),
    path("<int:order_id>/cancel/", views.cancel_order, name="cancel"),
]

urlpatterns = [
    path("orders/", include((order_patterns, "orders"))),
]
