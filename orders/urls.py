from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("orders/", views.order_list, name="list"),
    path("orders/new/", views.choose_customer, name="choose_customer"),
    path("orders/<uuid:order_id>/", views.order_detail, name="detail"),
    path("offers/", views.offer_list, name="offers"),
    path("customers/<uuid:tenant_id>/orders/", views.customer_orders, name="customer_orders"),
    path("customers/<uuid:tenant_id>/orders/new/", views.new_order, name="new"),
    path(
        "customers/<uuid:tenant_id>/orders/review/<uuid:draft_id>/",
        views.review_order,
        name="review",
    ),
    path(
        "customers/<uuid:tenant_id>/orders/review/<uuid:draft_id>/place/",
        views.place,
        name="place",
    ),
]
