"""URLs of the API, mounted at /api/v1/ under the namespace "v1" (NamespaceVersioning)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from . import views, views_agencies, views_duties, views_enforcement, views_powers
from .schema import SCHEMA_SETTINGS

app_name = "api"


class Router(DefaultRouter):
    """The browsable API root at /api/v1/; no ``.json`` suffixes (the Accept header says it)."""

    include_format_suffixes = False


router = Router()
router.register("divisions", views.DivisionViewSet, basename="division")
router.register("units", views.UnitViewSet, basename="unit")
router.register("docking-links", views.DockingLinkViewSet, basename="docking-link")
router.register("quota-types", views.QuotaTypeViewSet, basename="quota-type")
router.register("quota-movements", views.QuotaMovementViewSet, basename="quota-movement")
router.register("redistributions", views.RedistributionViewSet, basename="redistribution")
router.register("leadership-quotas", views.LeadershipQuotaViewSet, basename="leadership-quota")
router.register("transfers", views.QuotaTransferViewSet, basename="transfer")
router.register("persons", views.PersonViewSet, basename="person")
router.register("enrolments", views.EnrolmentViewSet, basename="enrolment")
router.register("posts", views.PostAssignmentViewSet, basename="post")
router.register("jobs", views.JobViewSet, basename="job")
# powers
router.register("power-categories", views_powers.PowerCategoryViewSet, basename="power-category")
router.register(
    "delegation-batches", views_powers.DelegationBatchViewSet, basename="delegation-batch"
)
router.register("powers", views_powers.PowerItemViewSet, basename="power")
router.register("acceptances", views_powers.AcceptanceViewSet, basename="acceptance")
router.register("resource-pledges", views_powers.ResourcePledgeViewSet, basename="resource-pledge")
router.register("guidance", views_powers.GuidanceViewSet, basename="guidance")
router.register("power-usages", views_powers.PowerUsageViewSet, basename="power-usage")
# duties
router.register("duty-lists", views_duties.DutyListViewSet, basename="duty-list")
router.register("editions", views_duties.EditionViewSet, basename="edition")
router.register("duty-items", views_duties.DutyItemViewSet, basename="duty-item")
router.register(
    "consultation-rounds", views_duties.ConsultationRoundViewSet, basename="consultation-round"
)
router.register("admissions", views_duties.DutyAdmissionViewSet, basename="admission")
# enforcement
router.register(
    "enforcement-teams", views_enforcement.EnforcementTeamViewSet, basename="enforcement-team"
)
router.register("certificates", views_enforcement.CertificateViewSet, basename="certificate")
router.register("equipment", views_enforcement.EquipmentViewSet, basename="equipment")
router.register("enforcement-funding", views_enforcement.FundingViewSet, basename="funding")
router.register("cases", views_enforcement.CaseViewSet, basename="case")
# dispatched agencies
router.register("agencies", views_agencies.AgencyViewSet, basename="agency")
router.register(
    "agency-assessments", views_agencies.AssessmentViewSet, basename="agency-assessment"
)
router.register("agency-moves", views_agencies.PersonnelMoveViewSet, basename="agency-move")
router.register("agency-tasks", views_agencies.CommandTaskViewSet, basename="agency-task")

urlpatterns = [
    path("auth/token/", views.TokenObtainView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(custom_settings=SCHEMA_SETTINGS), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path(
        "redoc/",
        # The stock template links Google Fonts; the intranet gets a page that loads nothing external.
        SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html"),
        name="redoc",
    ),
    *router.urls,
]
