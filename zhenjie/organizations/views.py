"""Pages of the organizations app: the unit tree, unit pages and docking."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from zhenjie.core.forms import apply_service_errors
from zhenjie.core.history import history_rows
from zhenjie.core.views import as_of, int_or_404, service_form

from . import services
from .filtersets import UnitFilterSet
from .forms import DockingLinkForm, UnitAbolishForm, UnitEditForm, UnitForm
from .models import DockingLink, Unit
from .selectors import docking_summary, scope_root, unit_children, unit_get, unit_list, unit_tree
from .tables import UnitTable


def unit_or_404(request: HttpRequest, pk: int) -> Unit:
    """The unit if the user may see it; 404 otherwise (other apps' unit pages use it too)."""
    try:
        return unit_get(user=request.user, pk=pk)
    except Unit.DoesNotExist:
        raise Http404("机构不存在或不在您的权限范围内") from None


def unit_tree_view(request: HttpRequest) -> HttpResponse:
    form, on = as_of(request)
    return render(
        request,
        "organizations/unit_tree.html",
        {"units": unit_tree(user=request.user, on=on), "asof_form": form, "on": on},
    )


def unit_list_view(request: HttpRequest) -> HttpResponse:
    filterset = UnitFilterSet(request.GET or None, queryset=unit_list(user=request.user))
    table = UnitTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "organizations/unit_list.html", {"filter": filterset, "table": table})


def unit_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_or_404(request, pk)
    form, on = as_of(request)
    docking = (
        DockingLink.objects.filter(office=unit).select_related("department")
        if unit.kind == "office"
        else DockingLink.objects.filter(department=unit).select_related("office__parent")
    )
    return render(
        request,
        "organizations/unit_detail.html",
        {
            "unit": unit,
            "on": on,
            "asof_form": form,
            "ancestors": unit_list(user=request.user)
            .filter(pk__in=[int(p) for p in unit.path.strip("/").split("/")[:-1]])
            .order_by("depth"),
            "children": unit_children(user=request.user, unit=unit, on=on),
            "docking": docking,
            "docking_form": DockingLinkForm(user=request.user),
            "history": history_rows(unit.history.all()),
        },
    )


def unit_create_view(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    if request.GET.get("parent"):
        initial["parent"] = request.GET["parent"]
    form = UnitForm(request.POST or None, user=request.user, initial=initial)

    def run(data: dict[str, Any]) -> Unit:
        return services.unit_create(
            actor=request.user,
            name=data["name"],
            short_name=data["short_name"],
            kind=data["kind"],
            parent=data["parent"],
            division=data["division"],
            department=data["department"],
            rank=data["rank"] or "",
            credit_code=data["credit_code"],
            established_on=data["established_on"],
            established_doc=data["established_doc"],
            sort_order=data["sort_order"] or 0,
            notes=data["notes"],
        )

    return service_form(
        request,
        form=form,
        template="organizations/unit_form.html",
        context={"title": "设立机构"},
        run=run,
        success=lambda unit: unit.get_absolute_url(),
        message="机构已设立",
    )


def unit_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_or_404(request, pk)
    fields = ["name", "short_name", "rank", "credit_code", "established_doc", "sort_order", "notes"]
    form = UnitEditForm(request.POST or None, initial={f: getattr(unit, f) for f in fields})

    def run(data: dict[str, Any]) -> Unit:
        changes = {f: data[f] for f in fields}
        changes["sort_order"] = changes["sort_order"] or 0
        changes["rank"] = changes["rank"] or ""
        return services.unit_update(actor=request.user, unit=unit, reason=data["reason"], **changes)

    return service_form(
        request,
        form=form,
        template="organizations/unit_form.html",
        context={"title": f"修改机构: {unit.name}", "unit": unit},
        run=run,
        success=lambda u: u.get_absolute_url(),
        message="机构信息已保存",
    )


def unit_abolish_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_or_404(request, pk)
    form = UnitAbolishForm(request.POST or None)
    return service_form(
        request,
        form=form,
        template="organizations/unit_form.html",
        context={"title": f"撤销机构: {unit.name}", "unit": unit},
        run=lambda d: services.unit_abolish(
            actor=request.user,
            unit=unit,
            abolished_on=d["abolished_on"],
            abolished_doc=d["abolished_doc"],
        ),
        success=lambda u: u.get_absolute_url(),
        message="机构已撤销",
    )


def docking_view(request: HttpRequest) -> HttpResponse:
    form, on = as_of(request)
    root = scope_root(user=request.user)
    if request.GET.get("unit"):
        root = unit_or_404(request, int_or_404(request.GET["unit"]))
    if root is None:
        raise Http404("没有可查看的机构")
    return render(
        request,
        "organizations/docking.html",
        {
            "root": root,
            "on": on,
            "asof_form": form,
            **docking_summary(user=request.user, root=root, on=on),
        },
    )


@require_POST
def docking_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    office = unit_or_404(request, pk)
    form = DockingLinkForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.docking_link_add(
                actor=request.user,
                office=office,
                department=form.cleaned_data["department"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
    if form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        messages.success(request, "对接关系已添加")
    return redirect(office.get_absolute_url())


@require_POST
def docking_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(DockingLink.objects.select_related("office"), pk=pk)
    office = unit_or_404(request, link.office_id)
    services.docking_link_remove(actor=request.user, link=link)
    messages.success(request, "对接关系已删除")
    return redirect(office.get_absolute_url())
