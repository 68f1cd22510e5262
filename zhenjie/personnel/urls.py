from django.urls import path

from . import views

app_name = "personnel"

urlpatterns = [
    path("", views.person_list_view, name="person_list"),
    path("new/", views.person_create_view, name="person_create"),
    path("<int:pk>/", views.person_detail_view, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit_view, name="person_edit"),
    path("<int:pk>/enrol/", views.person_enrol_view, name="person_enrol"),
    path("<int:pk>/exit/", views.person_exit_view, name="person_exit"),
    path("<int:pk>/posts/new/", views.post_create_view, name="post_create"),
    path("posts/<int:pk>/end/", views.post_end_view, name="post_end"),
    path("transfers/new/", views.transfer_create_view, name="transfer_create"),
    path("units/<int:pk>/people/", views.unit_people_panel_view, name="unit_people_panel"),
]
