"""Pages of the staffing app: the quota ledger, movements and redistributions."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_tables2 import RequestConfig

from zhenjie.core.forms import apply_service_errors
from zhenjie.core.views import as_of, service_form
from zhenjie.organizations.views import unit_or_404

from . import services
from .filtersets import QuotaMovementFilterSet
from .forms import QuotaMovementForm, RedistributionForm, RedistributionLineFormSet
from .selectors import leadership_quotas, movement_list, quota_balances, quota_types
from .tables import QuotaMovementTable


def movement_list_view(request: HttpRequest) -> HttpResponse:
    filterset = QuotaMovementFilterSet(
        request.GET or None, queryset=movement_list(user=request.user)
    )
    table = QuotaMovementTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "staffing/movement_list.html", {"filter": filterset, "table": table})


def unit_quota_panel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX panel on the unit page: balances by type, leadership posts and the ledger."""
    unit = unit_or_404(request, pk)
    _, on = as_of(request)
    balances = quota_balances(unit_ids=[unit.pk], on=on)
    leadership = leadership_quotas(unit_ids=[unit.pk], on=on)
    return render(
        request,
        "staffing/_unit_quota_panel.html",
        {
            "unit": unit,
            "on": on,
            "balances": [(t, balances.get((unit.pk, t.pk), 0)) for t in quota_types()],
            "leadership": leadership,
            "movements": movement_list(user=request.user)
            .filter(unit=unit)
            .order_by("-effective_on", "-id")[:100],
        },
    )


def movement_create_view(request: HttpRequest) -> HttpResponse:
    form = QuotaMovementForm(
        request.POST or None, user=request.user, initial={"unit": request.GET.get("unit")}
    )
    return service_form(
        request,
        form=form,
        template="staffing/movement_form.html",
        context={"title": "登记编制变动"},
        run=lambda d: services.quota_movement_record(actor=request.user, **d),
        success=lambda m: m.unit.get_absolute_url(),
        message="编制变动已登记",
    )


def redistribution_create_view(request: HttpRequest) -> HttpResponse:
    form = RedistributionForm(request.POST or None, user=request.user)
    lines = RedistributionLineFormSet(
        request.POST or None, form_kwargs={"user": request.user}, prefix="lines"
    )
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        pairs = [
            (f.cleaned_data["unit"], f.cleaned_data["delta"])
            for f in lines
            if f.cleaned_data.get("unit")
        ]
        try:
            batch = services.quota_redistribute(
                actor=request.user, lines=pairs, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"二次分配已登记({batch.doc_no})")
            return redirect("staffing:movement_list")
    context: dict[str, Any] = {"form": form, "lines": lines, "title": "编制二次分配"}
    return render(
        request,
        "staffing/redistribution_form.html",
        context,
        status=400 if (form.errors or lines.total_error_count()) else 200,
    )
