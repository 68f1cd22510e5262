"""Pages of delegated powers: overview, matrix, follow-through, item and department pages."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from zhenjie.core.views import int_or_404, service_form
from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import unit_get

from . import services
from .choices import AcceptanceStatus
from .forms import AcceptanceForm, UsageForm
from .models import DelegationBatch, PowerCategory, PowerItem
from .selectors import (
    acceptance_matrix,
    batch_current,
    follow_through,
    item_acceptances,
    item_list,
    item_usage,
    usage_totals,
)


def _batch(request: HttpRequest) -> DelegationBatch:
    if request.GET.get("batch"):
        return get_object_or_404(DelegationBatch, pk=int_or_404(request.GET["batch"]))
    batch = batch_current()
    if batch is None:
        raise Http404("尚未登记赋权事项")
    return batch


def _optional_int(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name)
    return int_or_404(value) if value else None


def overview_view(request: HttpRequest) -> HttpResponse:
    batch = _batch(request)
    matrix = acceptance_matrix(user=request.user, batch=batch)
    rows = follow_through(user=request.user, batch=batch)
    return render(
        request,
        "powers/overview.html",
        {
            "batch": batch,
            "summaries": matrix.summaries,
            "rows": rows,
            "department_count": len(rows),
            "not_followed": sum(1 for r in rows if not r.followed),
            "item_count": batch.items.count(),
        },
    )


def matrix_view(request: HttpRequest) -> HttpResponse:
    batch = _batch(request)
    department = _optional_int(request, "department")
    category = _optional_int(request, "category")
    matrix = acceptance_matrix(
        user=request.user, batch=batch, department=department, category=category
    )
    departments = Unit.objects.filter(delegated_powers__batch=batch).distinct().order_by("path")
    return render(
        request,
        "powers/matrix.html",
        {
            "batch": batch,
            "matrix": matrix,
            "departments": departments,
            "categories": PowerCategory.objects.all(),
            "department": department,
            "category": category,
            "labels": dict(AcceptanceStatus.choices),
        },
    )


def item_list_view(request: HttpRequest) -> HttpResponse:
    batch = _batch(request)
    return render(
        request,
        "powers/item_list.html",
        {
            "batch": batch,
            "items": item_list(user=request.user, batch=batch),
            "usage": usage_totals(user=request.user, batch=batch),
        },
    )


def item_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        PowerItem.objects.select_related("batch", "category", "department"), pk=pk
    )
    return render(
        request,
        "powers/item_detail.html",
        {
            "item": item,
            "acceptances": item_acceptances(user=request.user, item=item),
            "usages": item_usage(user=request.user, item=item),
        },
    )


def department_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        department = unit_get(user=request.user, pk=pk)
    except Unit.DoesNotExist:
        raise Http404("部门不存在或不在您的权限范围内") from None
    batch = _batch(request)
    row = next(
        (
            r
            for r in follow_through(user=request.user, batch=batch)
            if r.department.pk == department.pk
        ),
        None,
    )
    if row is None:
        raise Http404("该部门在此批次没有下放事项")
    return render(
        request,
        "powers/department.html",
        {
            "batch": batch,
            "row": row,
            "items": item_list(user=request.user, batch=batch).filter(department=department),
            "guidance": row.guidance,
        },
    )


def acceptance_create_view(request: HttpRequest) -> HttpResponse:
    batch = _batch(request)
    form = AcceptanceForm(request.POST or None, user=request.user, batch=batch)

    def run(d: dict[str, Any]) -> Any:
        return services.acceptance_record(actor=request.user, **d)

    return service_form(
        request,
        form=form,
        template="powers/form.html",
        context={"title": "登记承接情况"},
        run=run,
        success=lambda a: a.item.get_absolute_url(),
        message="承接情况已登记",
    )


def usage_create_view(request: HttpRequest) -> HttpResponse:
    batch = _batch(request)
    form = UsageForm(request.POST or None, user=request.user, batch=batch)
    return service_form(
        request,
        form=form,
        template="powers/form.html",
        context={"title": "登记行权次数"},
        run=lambda d: services.usage_record(actor=request.user, **d),
        success=lambda u: u.item.get_absolute_url(),
        message="行权次数已登记",
    )
