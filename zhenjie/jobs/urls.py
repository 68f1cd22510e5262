from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list_view, name="job_list"),
    path("<int:pk>/", views.job_detail_view, name="job_detail"),
    path("<int:pk>/progress/", views.job_progress_view, name="job_progress"),
    path("<int:pk>/download/", views.job_download_view, name="job_download"),
]
