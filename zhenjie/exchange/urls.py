from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("", views.register_list_view, name="register_list"),
    path("<slug:name>/export/", views.register_export_view, name="register_export"),
    path("<slug:name>/template/", views.register_template_view, name="register_template"),
    path("<slug:name>/import/", views.register_import_view, name="register_import"),
    path("imports/<int:pk>/", views.import_review_view, name="import_review"),
    path("imports/<int:pk>/confirm/", views.import_commit_view, name="import_commit"),
    path("imports/<int:pk>/mapping/", views.import_mapping_view, name="import_mapping"),
]
