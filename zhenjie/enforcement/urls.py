from django.urls import path

from . import views

app_name = "enforcement"

urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("bureaus/<int:pk>/", views.bureau_detail_view, name="bureau_detail"),
    path("teams/new/", views.team_create_view, name="team_create"),
    path("teams/<int:pk>/members/new/", views.team_member_add_view, name="team_member_add"),
    path("certificates/", views.certificate_list_view, name="certificate_list"),
    path("certificates/new/", views.certificate_create_view, name="certificate_create"),
    path("certificates/<int:pk>/", views.certificate_detail_view, name="certificate_detail"),
    path("certificates/<int:pk>/review/", views.certificate_review_view, name="certificate_review"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke_view, name="certificate_revoke"),
    path("equipment/new/", views.equipment_create_view, name="equipment_create"),
    path("equipment/standard/", views.equipment_standard_view, name="equipment_standard"),
    path("funding/new/", views.funding_set_view, name="funding_set"),
    path("cases/", views.case_list_view, name="case_list"),
    path("cases/new/", views.case_create_view, name="case_create"),
    path("cases/on-spot/", views.case_on_spot_view, name="case_on_spot"),
    path("cases/<int:pk>/", views.case_detail_view, name="case_detail"),
    path("cases/<int:pk>/advance/", views.case_advance_view, name="case_advance"),
    path("cases/<int:pk>/investigate/", views.case_investigate_view, name="case_investigate"),
    path("cases/<int:pk>/extend/", views.case_extend_view, name="case_extend"),
    path("statistics/", views.statistics_view, name="statistics"),
]
