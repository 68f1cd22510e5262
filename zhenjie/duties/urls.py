from django.urls import path

from . import views

app_name = "duties"

urlpatterns = [
    path("", views.list_index_view, name="list_index"),
    path("editions/<int:pk>/", views.edition_detail_view, name="edition_detail"),
    path("editions/<int:pk>/compare/", views.edition_compare_view, name="edition_compare"),
    path("rounds/<int:pk>/", views.round_detail_view, name="round_detail"),
]

urlpatterns += [
    path("admissions/", views.admission_list_view, name="admission_list"),
    path("admissions/new/", views.admission_create_view, name="admission_create"),
    path("admissions/<int:pk>/", views.admission_detail_view, name="admission_detail"),
]
