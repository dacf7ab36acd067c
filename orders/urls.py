from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("orders/", views.order_list, name="list"),
    path("orders/new/", views.choose_customer, name="choose_customer"),
    # New order from the Orders list: the chosen customer's order, its steps under Orders
    # (orders.views.Flow); the same views as from the customer's own page.
    path("orders/new/<uuid:tenant_id>/", views.new_order, {"chosen": True}, name="new_chosen"),
    path(
        "orders/new/<uuid:tenant_id>/review/<uuid:draft_id>/",
        views.review_order,
        {"chosen": True},
        name="review_chosen",
    ),
    path(
        "orders/new/<uuid:tenant_id>/review/<uuid:draft_id>/place/",
        views.place,
        {"chosen": True},
        name="place_chosen",
    ),
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
