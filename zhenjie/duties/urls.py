from django.urls import path

from . import views

app_name = "duties"

urlpatterns = [
    path("", views.list_index_view, name="list_index"),
    path("editions/<int:pk>/", views.edition_detail_view, name="edition_detail"),
    path("editions/<int:pk>/compare/", views.edition_compare_view, name="edition_compare"),
    path("rounds/<int:pk>/", views.round_detail_view, name="round_detail"),
]
