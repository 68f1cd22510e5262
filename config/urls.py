from django.contrib import admin
from django.urls import include, path

from zhenjie.personnel import views as personnel_views

urlpatterns = [
    path("", personnel_views.overview_view, name="home"),
    path("search/", personnel_views.search_view, name="search"),
    path("accounts/", include("zhenjie.accounts.urls")),
    path("org/", include("zhenjie.organizations.urls")),
    path("staffing/", include("zhenjie.staffing.urls")),
    path("people/", include("zhenjie.personnel.urls")),
    path("powers/", include("zhenjie.powers.urls")),
    path("duties/", include("zhenjie.duties.urls")),
    path("agencies/", include("zhenjie.agencies.urls")),
    path("enforcement/", include("zhenjie.enforcement.urls")),
    path("jobs/", include("zhenjie.jobs.urls")),
    path("approvals/", include("zhenjie.workflows.urls")),
    path("reminders/", include("zhenjie.reminders.urls")),
    path("exchange/", include("zhenjie.exchange.urls")),
    path("api/v1/", include("zhenjie.api.urls", namespace="v1")),
    path("admin/", admin.site.urls),
]
