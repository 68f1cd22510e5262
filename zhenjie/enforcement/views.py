"""Pages of comprehensive administrative law enforcement (综合行政执法)."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from zhenjie.core.history import history_rows
from zhenjie.core.views import as_of, int_or_404, service_form

from . import forms, selectors, services
from .choices import Stage
from .conf import limits
from .filtersets import CaseFilterSet, CertificateFilterSet
from .models import Case, Certificate, TeamMember

PAGE_SIZE = 50


def _require_editor(request: HttpRequest) -> None:
    if not request.user.may_edit_people:  # type: ignore[union-attr]
        raise PermissionDenied("您的角色不能办理此项业务")


def _form(request: HttpRequest, form_class: Any, **kwargs: Any) -> Any:
    return form_class(request.POST or None, **kwargs)


# -- overview and bureaus ------------------------------------------------------------------------
def overview_view(request: HttpRequest) -> HttpResponse:
    asof_form, on = as_of(request)
    summaries = selectors.bureau_summaries(user=request.user, on=on)
    return render(
        request,
        "enforcement/overview.html",
        {
            "on": on,
            "asof_form": asof_form,
            "summaries": summaries,
            "min_officers": limits().min_officers,
            "officers": sum(s.officer_count for s in summaries),
            "certified": sum(s.certified_count for s in summaries),
            "short_teams": [t for s in summaries for t in s.short_teams],
            "outside_budget": sum(
                1 for s in summaries if s.funding is not None and not s.funding.in_county_budget
            ),
        },
    )


def bureau_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    asof_form, on = as_of(request)
    summary = next(
        (s for s in selectors.bureau_summaries(user=request.user, on=on) if s.bureau.pk == pk),
        None,
    )
    if summary is None:
        raise Http404("执法局不存在或不在您的权限范围内")
    officers = list(selectors.officer_list(user=request.user, on=on, bureau=summary.bureau))
    certificates: dict[int, list[Certificate]] = {}
    for certificate in selectors.certificate_list(user=request.user, on=on).filter(
        holder__in=[p.person_id for p in officers]
    ):
        certificates.setdefault(certificate.holder_id, []).append(certificate)
    members: dict[int, list[TeamMember]] = {}
    for member in (
        TeamMember.objects.active_on(on).filter(team__in=summary.teams).select_related("person")
    ):
        members.setdefault(member.team_id, []).append(member)
    return render(
        request,
        "enforcement/bureau_detail.html",
        {
            "on": on,
            "asof_form": asof_form,
            "summary": summary,
            "bureau": summary.bureau,
            "officers": [(p, certificates.get(p.person_id, [])) for p in officers],
            "teams": [(t, members.get(t.pk, [])) for t in summary.teams],
            "equipment": selectors.equipment_list(user=request.user).filter(bureau=summary.bureau),
            "fundings": selectors.funding_list(user=request.user).filter(bureau=summary.bureau),
            "min_officers": limits().min_officers,
        },
    )


@require_http_methods(["GET", "POST"])
def team_create_view(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = _form(request, forms.TeamForm, user=request.user)
    return service_form(
        request,
        form=form,
        template="enforcement/form.html",
        context={"title": "设立执法中队"},
        run=lambda data: services.team_create(actor=request.user, **data),
        success=lambda team: reverse("enforcement:bureau_detail", args=[team.bureau_id]),
        message="已设立执法中队",
    )


@require_http_methods(["GET", "POST"])
def team_member_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    team = get_object_or_404(selectors.team_list(user=request.user, on=dt.date.today()), pk=pk)
    form = _form(request, forms.TeamMemberForm, team=team, user=request.user)
    return service_form(
        request,
        form=form,
        template="enforcement/form.html",
        context={"title": f"{team.name}: 加入队员"},
        run=lambda data: services.team_member_add(actor=request.user, team=team, **data),
        success=lambda member: reverse("enforcement:bureau_detail", args=[team.bureau_id]),
        message="已加入执法中队",
    )


# -- certificates ----------------------------------------------------------------------------------
def certificate_list_view(request: HttpRequest) -> HttpResponse:
    asof_form, on = as_of(request)
    queryset = selectors.certificate_list(user=request.user, on=on)
    certificate_filter = CertificateFilterSet(request.GET or None, queryset=queryset, on=on)
    rows = certificate_filter.qs
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for certificate in page:
        certificate.problems = services.certificate_problems(certificate)
    return render(
        request,
        "enforcement/certificate_list.html",
        {"on": on, "asof_form": asof_form, "filter": certificate_filter, "page": page},
    )


def _certificate(request: HttpRequest, pk: int) -> Certificate:
    try:
        return selectors.certificate_get(user=request.user, pk=pk, on=dt.date.today())
    except Certificate.DoesNotExist:
        raise Http404("执法证不存在或不在您的权限范围内") from None


def certificate_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _certificate(request, pk)
    return render(
        request,
        "enforcement/certificate_detail.html",
        {
            "certificate": certificate,
            "problems": services.certificate_problems(certificate),
            "reviews": certificate.reviews.order_by("-reviewed_on"),
            "history": history_rows(certificate.history.select_related("history_user")),
            "steps": certificate.case_steps.select_related("case").order_by("-happened_on")[:20],
        },
    )


@require_http_methods(["GET", "POST"])
def certificate_create_view(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = _form(request, forms.CertificateForm, user=request.user)
    return service_form(
        request,
        form=form,
        template="enforcement/form.html",
        context={"title": "登记行政执法证"},
        run=lambda data: services.certificate_issue(actor=request.user, **data),
        success=lambda c: c.get_absolute_url(),
        message="已登记执法证",
    )


@require_http_methods(["GET", "POST"])
def certificate_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    certificate = _certificate(request, pk)
    form = _form(request, forms.CertificateReviewForm)
    return service_form(
        request,
        form=form,
        template="enforcement/form.html",
        context={"title": f"审验执法证 {certificate}"},
        run=lambda data: services.certificate_review_record(
            actor=request.user, certificate=certificate, **data
        ),
        success=lambda review: certificate.get_absolute_url(),
        message="已登记审验",
    )


@require_http_methods(["GET", "POST"])
def certificate_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    certificate = _certificate(request, pk)
    form = _form(request, forms.CertificateRevokeForm)
    return service_form(
        request,
        form=form,
        template="enforcement/form.html",
        context={"title": f"注销执法证 {certificate}"},
        run=lambda data: services.certificate_revoke(
            actor=request.user, certificate=certificate, **data
        ),
        success=lambda c: c.get_absolute_url(),
        message="已注销执法证",
    )


# -- equipment and funding -------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def equipment_create_view(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = _form(request, forms.EquipmentForm, user=request.user)
    return service_form(
        request,
        form=form,
        template="enforcement/form.html",
        context={"title": "登记执法装备"},
        run=lambda data: services.equipment_add(actor=request.user, **data),
        success=lambda e: reverse("enforcement:bureau_detail", args=[e.bureau_id]),
        message="已登记装备",
    )


@require_http_methods(["GET", "POST"])
def equipment_standard_view(request: HttpRequest) -> HttpResponse:
    if not request.user.may_edit_structure:  # type: ignore[union-attr]
        raise PermissionDenied("装备配备标准由机构编制部门设定")
    form = _form(request, forms.EquipmentStandardForm, user=request.user)
    return service_form(
        request,
        form=form,
        template="enforcement/form.html",
        context={"title": "设定装备配备标准"},
        run=lambda data: services.equipment_standard_set(actor=request.user, **data),
        success=lambda s: reverse("enforcement:bureau_detail", args=[s.bureau_id]),
        message="已设定配备标准",
    )


@require_http_methods(["GET", "POST"])
def funding_set_view(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = _form(request, forms.FundingForm, user=request.user)
    return service_form(
        request,
        form=form,
        template="enforcement/form.html",
        context={"title": "登记执法经费"},
        run=lambda data: services.funding_set(actor=request.user, **data),
        success=lambda f: reverse("enforcement:bureau_detail", args=[f.bureau_id]),
        message="已登记执法经费",
    )


# -- cases -----------------------------------------------------------------------------------------
def case_list_view(request: HttpRequest) -> HttpResponse:
    today = dt.date.today()
    case_filter = CaseFilterSet(
        request.GET or None, queryset=selectors.case_list(user=request.user), user=request.user
    )
    rows = case_filter.qs.order_by("-opened_on", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    overdue = set(
        selectors.case_list(user=request.user)
        .filter(selectors.overdue_q(today), pk__in=[c.pk for c in page])
        .values_list("pk", flat=True)
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enforcement/case_list.html",
        {"filter": case_filter, "page": page, "overdue": overdue, "query": query.urlencode()},
    )


def _case(request: HttpRequest, pk: int) -> Case:
    try:
        return selectors.case_get(user=request.user, pk=pk)
    except Case.DoesNotExist:
        raise Http404("案件不存在或不在您的权限范围内") from None


def case_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    today = dt.date.today()
    may_edit = request.user.may_edit_people  # type: ignore[union-attr]
    return render(
        request,
        "enforcement/case_detail.html",
        {
            "case": case,
            "today": today,
            "steps": case.steps.prefetch_related("certificates__holder").select_related(
                "recorded_by"
            ),
            "extensions": case.extensions.all(),
            "deadlines": [(d, d.status(today)) for d in selectors.case_deadlines(case)],
            "surcharge": selectors.current_surcharge(case, today),
            "legal_review_required": services.legal_review_required(case),
            "advance_form": forms.CaseAdvanceForm(
                case=case, user=request.user, initial={"on": today}
            )
            if may_edit and case.stage != Stage.CLOSED
            else None,
            "is_overdue": Case.objects.filter(pk=case.pk)
            .filter(selectors.overdue_q(today))
            .exists(),
            "history": history_rows(case.history.select_related("history_user")),
        },
    )


@require_http_methods(["GET", "POST"])
def case_create_view(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = _form(request, forms.CaseOpenForm, user=request.user)
    return service_form(
        request,
        form=form,
        template="enforcement/form.html",
        context={"title": "立案登记(普通程序)"},
        run=lambda data: services.case_open(actor=request.user, **data),
        success=lambda c: c.get_absolute_url(),
        message="已立案",
    )


@require_http_methods(["GET", "POST"])
def case_on_spot_view(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = _form(request, forms.CaseOnSpotForm, user=request.user)
    return service_form(
        request,
        form=form,
        template="enforcement/form.html",
        context={"title": "简易程序当场处罚"},
        run=lambda data: services.case_decide_on_spot(actor=request.user, **data),
        success=lambda c: c.get_absolute_url(),
        message="已登记当场处罚",
    )


def _advance(request: HttpRequest, case: Case, data: dict[str, Any]) -> Case:
    data = {k: v for k, v in data.items() if v not in (None, "")}
    data["certificates"] = list(data.get("certificates", []))
    return services.case_advance(
        actor=request.user,
        case=case,
        note=data.pop("note", ""),
        decision_kind=data.pop("decision_kind", ""),
        penalty_kind=data.pop("penalty_kind", ""),
        **data,
    )


@require_http_methods(["GET", "POST"])
def case_advance_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    case = _case(request, pk)
    form = _form(request, forms.CaseAdvanceForm, case=case, user=request.user)
    return service_form(
        request,
        form=form,
        template="enforcement/form.html",
        context={"title": f"{case.number}: 办理下一环节", "case": case},
        run=lambda data: _advance(request, case, data),
        success=lambda c: c.get_absolute_url(),
        message="已登记",
    )


@require_http_methods(["GET", "POST"])
def case_investigate_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    case = _case(request, pk)
    form = _form(request, forms.CaseInvestigateForm, case=case)
    return service_form(
        request,
        form=form,
        template="enforcement/form.html",
        context={"title": f"{case.number}: 登记调查取证", "case": case},
        run=lambda data: services.case_investigate(
            actor=request.user,
            case=case,
            on=data["on"],
            certificates=list(data["certificates"]),
            note=data["note"],
        ),
        success=lambda step: case.get_absolute_url(),
        message="已登记调查取证",
    )


@require_http_methods(["GET", "POST"])
def case_extend_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    case = _case(request, pk)
    form = _form(request, forms.CaseExtendForm)
    return service_form(
        request,
        form=form,
        template="enforcement/form.html",
        context={"title": f"{case.number}: 延长办案期限", "case": case},
        run=lambda data: services.case_extend(actor=request.user, case=case, **data),
        success=lambda extension: case.get_absolute_url(),
        message="已登记延期",
    )


def statistics_view(request: HttpRequest) -> HttpResponse:
    today = dt.date.today()
    year = int_or_404(request.GET["year"]) if request.GET.get("year") else today.year
    if not 2000 <= year <= 2100:
        raise Http404("年度无效")
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    stats = selectors.case_statistics(user=request.user, start=start, end=end, today=today)
    on = min(end, today)
    return render(
        request,
        "enforcement/statistics.html",
        {
            "year": year,
            "years": range(today.year, today.year - 6, -1),
            "stats": stats,
            "summaries": selectors.bureau_summaries(user=request.user, on=on),
            "on": on,
            "min_officers": limits().min_officers,
        },
    )
