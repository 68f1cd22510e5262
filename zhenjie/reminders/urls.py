from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("", views.reminder_list_view, name="reminder_list"),
    path("panel/", views.reminder_panel_view, name="reminder_panel"),
]
