from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("units/", views.unit_list_view, name="unit_list"),
    path("units/tree/", views.unit_tree_view, name="unit_tree"),
    path("units/new/", views.unit_create_view, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail_view, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit_view, name="unit_edit"),
    path("units/<int:pk>/abolish/", views.unit_abolish_view, name="unit_abolish"),
    path("units/<int:pk>/docking/add/", views.docking_add_view, name="docking_add"),
    path("docking/", views.docking_view, name="docking"),
    path("docking/<int:pk>/remove/", views.docking_remove_view, name="docking_remove"),
]
