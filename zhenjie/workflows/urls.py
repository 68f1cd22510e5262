from django.urls import path

from . import views

app_name = "workflows"

urlpatterns = [
    path("", views.request_list_view, name="request_list"),
    path("inbox/", views.inbox_view, name="inbox"),
    path("new/", views.request_create_view, name="request_create"),
    path("<int:pk>/", views.request_detail_view, name="request_detail"),
    path("<int:pk>/submit/", views.request_submit_view, name="request_submit"),
    path("<int:pk>/approve/", views.request_approve_view, name="request_approve"),
    path("<int:pk>/reject/", views.request_reject_view, name="request_reject"),
    path("<int:pk>/withdraw/", views.request_withdraw_view, name="request_withdraw"),
]
