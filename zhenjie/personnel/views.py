"""Pages of the real-name register, the staffing overview and search."""

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django_tables2 import RequestConfig

from zhenjie.core.history import history_rows
from zhenjie.core.views import as_of, int_or_404, service_form
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import scope_root, unit_list
from zhenjie.organizations.views import unit_or_404

from . import services
from .filtersets import PersonFilterSet
from .forms import (
    EnrolForm,
    ExitForm,
    PersonEnrolForm,
    PersonForm,
    PostEndForm,
    PostForm,
    TransferForm,
)
from .models import Enrolment, Person, PostAssignment
from .selectors import (
    person_get,
    person_is_editable,
    person_list,
    person_list_current,
    staffing_table,
    staffing_totals,
    unit_people,
)
from .tables import PersonTable


def _person_or_404(request: HttpRequest, pk: int) -> Person:
    try:
        return person_get(user=request.user, pk=pk)
    except Person.DoesNotExist:
        raise Http404("人员不存在或不在您的权限范围内") from None


def overview_view(request: HttpRequest) -> HttpResponse:
    """County overview (编制总览): units, quota vs actual by type, vacancies and over-quota."""
    form, on = as_of(request)
    root = scope_root(user=request.user)
    if request.GET.get("unit"):
        root = unit_or_404(request, int_or_404(request.GET["unit"]))
    if root is None:
        return render(
            request, "personnel/overview.html", {"root": None, "asof_form": form, "on": on}
        )
    types, rows = staffing_table(user=request.user, root=root, on=on)
    kinds = Counter(
        unit_list(user=request.user).in_subtree(root).active_on(on).values_list("kind", flat=True)
    )
    return render(
        request,
        "personnel/overview.html",
        {
            "root": root,
            "on": on,
            "asof_form": form,
            "types": types,
            "rows": rows,
            "totals": staffing_totals(rows, types),
            "kind_counts": [(UnitKind(k).label, kinds[k]) for k in UnitKind.values if kinds.get(k)],
            "over_rows": [r for r in rows if r.over],
        },
    )


def person_list_view(request: HttpRequest) -> HttpResponse:
    today = dt.date.today()
    filterset = PersonFilterSet(
        request.GET or None, queryset=person_list_current(user=request.user, on=today)
    )
    table = PersonTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "personnel/person_list.html", {"filter": filterset, "table": table})


def person_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    today = dt.date.today()
    return render(
        request,
        "personnel/person_detail.html",
        {
            "person": person,
            "today": today,
            "age": person.age_on(today),
            "editable": person_is_editable(user=request.user, person=person, on=today),
            "enrolments": person.enrolments.select_related(
                "unit", "quota_type", "transfer"
            ).order_by("-start_date"),
            "posts": person.posts.select_related("unit").order_by("-start_date"),
            "history": history_rows(person.history.all()),
            "open_enrolment": person.enrolments.filter(end_date__isnull=True)
            .select_related("unit")
            .first(),
        },
    )


def person_create_view(request: HttpRequest) -> HttpResponse:
    """Register a new person, enrol them and set their actual post, all or nothing."""
    initial = {"unit": request.GET.get("unit"), "start_date": dt.date.today()}
    form = PersonEnrolForm(request.POST or None, user=request.user, initial=initial)

    @transaction.atomic
    def run(d: dict[str, Any]) -> services.Outcome:
        person = services.person_register(
            actor=request.user,
            name=d["name"],
            id_number=d["id_number"],
            **{
                f: d[f]
                for f in ("ethnicity", "education", "major", "political_status", "phone", "notes")
            },
        )
        outcome = services.person_enrol(
            actor=request.user,
            person=person,
            unit=d["unit"],
            quota_type=d["quota_type"],
            channel=d["channel"],
            start_date=d["start_date"],
            doc_no=d["doc_no"],
        )
        services.post_assign(
            actor=request.user,
            person=person,
            unit=d["post_unit"] or d["unit"],
            title=d["post_title"],
            kind="main",
            start_date=d["start_date"],
        )
        return services.Outcome(person, outcome.warnings)

    return service_form(
        request,
        form=form,
        template="personnel/person_form.html",
        context={"title": "人员入编登记"},
        run=run,
        success=lambda p: p.get_absolute_url(),
        message="人员已登记入编",
    )


def person_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    fields = [
        "name",
        "id_number",
        "ethnicity",
        "education",
        "major",
        "political_status",
        "phone",
        "notes",
    ]
    form = PersonForm(request.POST or None, initial={f: getattr(person, f) for f in fields})
    return service_form(
        request,
        form=form,
        template="personnel/person_form.html",
        context={"title": f"修改人员信息: {person.name}", "person": person},
        run=lambda d: services.person_update(actor=request.user, person=person, **d),
        success=lambda p: p.get_absolute_url(),
        message="人员信息已保存",
    )


def person_enrol_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    form = EnrolForm(
        request.POST or None, user=request.user, initial={"start_date": dt.date.today()}
    )
    return service_form(
        request,
        form=form,
        template="personnel/person_form.html",
        context={"title": f"办理入编: {person.name}", "person": person},
        run=lambda d: services.person_enrol(actor=request.user, person=person, **d),
        success=lambda e: e.person.get_absolute_url(),
        message="已办理入编",
    )


def person_exit_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    enrolment = person.enrolments.filter(end_date__isnull=True).select_related("unit").first()
    if enrolment is None:
        messages.error(request, f"{person.name}当前不在编, 无需出编")
        return redirect(person.get_absolute_url())
    form = ExitForm(request.POST or None, initial={"end_date": dt.date.today()})
    return service_form(
        request,
        form=form,
        template="personnel/person_form.html",
        context={"title": f"办理出编: {person.name}({enrolment.unit.name})", "person": person},
        run=lambda d: services.person_exit(actor=request.user, enrolment=enrolment, **d),
        success=lambda e: person.get_absolute_url(),
        message="已办理出编",
    )


def post_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    form = PostForm(
        request.POST or None,
        user=request.user,
        initial={"start_date": dt.date.today(), "kind": "main"},
    )
    return service_form(
        request,
        form=form,
        template="personnel/person_form.html",
        context={"title": f"调整岗位 / 兼任: {person.name}", "person": person},
        run=lambda d: services.post_assign(actor=request.user, person=person, **d),
        success=lambda p: person.get_absolute_url(),
        message="岗位已保存",
    )


def post_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(PostAssignment.objects.select_related("person", "unit"), pk=pk)
    person = _person_or_404(request, post.person_id)
    form = PostEndForm(request.POST or None, initial={"end_date": dt.date.today()})
    return service_form(
        request,
        form=form,
        template="personnel/person_form.html",
        context={
            "title": f"结束岗位: {person.name} {post.unit.name} {post.title}",
            "person": person,
        },
        run=lambda d: services.post_end(actor=request.user, post=post, **d),
        success=lambda p: person.get_absolute_url(),
        message="岗位已结束",
    )


def transfer_create_view(request: HttpRequest) -> HttpResponse:
    """划转: quota and the people on it move together."""
    today = dt.date.today()
    enrolled = Person.objects.filter(
        pk__in=Enrolment.objects.active_on(today)
        .filter(unit__in=unit_list(user=request.user))
        .values("person")
    ).order_by("name")
    initial = {"from_unit": request.GET.get("from_unit"), "effective_on": today}
    form = TransferForm(request.POST or None, user=request.user, persons=enrolled, initial=initial)
    return service_form(
        request,
        form=form,
        template="personnel/transfer_form.html",
        context={"title": "编制划转(编随事走、人随编走)"},
        run=lambda d: services.quota_transfer(
            actor=request.user, **{**d, "persons": list(d["persons"])}
        ),
        success=lambda t: t.to_unit.get_absolute_url(),
        message="划转已办理",
    )


def unit_people_panel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX panel on the unit page: people enrolled here and people working here."""
    unit = unit_or_404(request, pk)
    _, on = as_of(request)
    return render(
        request,
        "personnel/_unit_people_panel.html",
        {"unit": unit, "on": on, **unit_people(user=request.user, unit=unit, on=on)},
    )


def search_view(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    units: list[Unit] = []
    people: list[Person] = []
    if q:
        units = list(
            unit_list(user=request.user).filter(Q(name__icontains=q) | Q(short_name__icontains=q))[
                :50
            ]
        )
        people = list(
            person_list(user=request.user).filter(Q(name__icontains=q) | Q(id_number=q.upper()))[
                :50
            ]
        )
    return render(request, "personnel/search.html", {"q": q, "units": units, "people": people})
