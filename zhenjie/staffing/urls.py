from django.urls import path

from . import views

app_name = "staffing"

urlpatterns = [
    path("movements/", views.movement_list_view, name="movement_list"),
    path("movements/new/", views.movement_create_view, name="movement_create"),
    path("redistributions/new/", views.redistribution_create_view, name="redistribution_create"),
    path("units/<int:pk>/quota/", views.unit_quota_panel_view, name="unit_quota_panel"),
]
