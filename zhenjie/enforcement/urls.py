from django.urls import path

from . import views

app_name = "enforcement"

urlpatterns = [
    path("", views.overview_view, name="overview"),
]
