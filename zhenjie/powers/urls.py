from django.urls import path

from . import views

app_name = "powers"

urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("matrix/", views.matrix_view, name="matrix"),
    path("items/", views.item_list_view, name="item_list"),
    path("items/<int:pk>/", views.item_detail_view, name="item_detail"),
    path("departments/<int:pk>/", views.department_view, name="department"),
    path("acceptances/new/", views.acceptance_create_view, name="acceptance_create"),
    path("usage/new/", views.usage_create_view, name="usage_create"),
]
