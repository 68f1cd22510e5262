from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("register/<int:unit_pk>/", views.agency_register_view, name="agency_register"),
    path("<int:pk>/", views.agency_detail_view, name="agency_detail"),
    path("assessments/", views.assessment_list_view, name="assessment_list"),
    path("moves/", views.move_list_view, name="move_list"),
    path("moves/<int:pk>/", views.move_detail_view, name="move_detail"),
    path("tasks/", views.task_list_view, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail_view, name="task_detail"),
]
