"""Pages of the three lists: editions, comparison, consultation rounds and replies."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhenjie.core.forms import apply_service_errors
from zhenjie.core.views import int_or_404, service_form
from zhenjie.organizations.selectors import unit_list

from . import admission, services
from .choices import EDITION_TRANSITIONS, EditionStatus
from .forms import AdmissionForm, AssignmentForm, OpinionForm, ReplyForm, TransitionForm
from .models import ConsultationRound, DutyAdmission, Edition
from .selectors import admission_list, edition_get, edition_rounds, list_index, round_get


def _edition_or_404(request: HttpRequest, pk: int) -> Edition:
    try:
        return edition_get(user=request.user, pk=pk)
    except Edition.DoesNotExist:
        raise Http404("版本不存在或不在您的权限范围内") from None


def _round_or_404(request: HttpRequest, pk: int) -> ConsultationRound:
    try:
        return round_get(user=request.user, pk=pk)
    except ConsultationRound.DoesNotExist:
        raise Http404("征求意见不存在或不在您的权限范围内") from None


def list_index_view(request: HttpRequest) -> HttpResponse:
    return render(request, "duties/list_index.html", {"lists": list_index(user=request.user)})


def edition_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition_or_404(request, pk)
    choices = [(s, EditionStatus(s).label) for s in sorted(EDITION_TRANSITIONS[edition.status])]
    form = TransitionForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.edition_transition(actor=request.user, edition=edition, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "版本状态已更新")
            return redirect(edition.get_absolute_url())
    others = edition.duty_list.editions.exclude(pk=edition.pk)
    return render(
        request,
        "duties/edition_detail.html",
        {
            "edition": edition,
            "items": edition.items.select_related("lead_department"),
            "rounds": edition_rounds(edition=edition),
            "form": form,
            "others": others,
        },
        status=400 if form.errors else 200,
    )


def edition_compare_view(request: HttpRequest, pk: int) -> HttpResponse:
    new = _edition_or_404(request, pk)
    old = _edition_or_404(request, int_or_404(request.GET.get("old", "")))
    if old.duty_list_id != new.duty_list_id:
        raise Http404("只能比较同一清单的版本")
    return render(
        request,
        "duties/edition_compare.html",
        {"old": old, "new": new, "diff": services.edition_compare(old=old, new=new)},
    )


def round_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _round_or_404(request, pk)
    status = services.round_status(consultation=consultation)
    own = consultation.parties.filter(pk__in=unit_list(user=request.user).values("pk"))
    form = ReplyForm(request.POST or None, consultation=consultation, parties=own)
    if request.method == "POST":
        return service_form(
            request,
            form=form,
            template="duties/round_detail.html",
            context={"round": consultation, **status},
            run=lambda d: services.reply_record(actor=request.user, consultation=consultation, **d),
            success=lambda r: consultation.get_absolute_url(),
            message="反馈意见已登记",
        )
    return render(
        request, "duties/round_detail.html", {"round": consultation, "form": form, **status}
    )


def _admission_or_404(request: HttpRequest, pk: int) -> DutyAdmission:
    visible = admission_list(user=request.user)
    try:
        return visible.get(pk=pk)
    except DutyAdmission.DoesNotExist:
        raise Http404("申请不存在或不在您的权限范围内") from None


def admission_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request, "duties/admission_list.html", {"admissions": admission_list(user=request.user)}
    )


def admission_create_view(request: HttpRequest) -> HttpResponse:
    form = AdmissionForm(request.POST or None, user=request.user)
    return service_form(
        request,
        form=form,
        template="duties/form.html",
        context={"title": "职责准入申请"},
        run=lambda d: admission.admission_create(
            actor=request.user, **{**d, "towns": list(d["towns"])}
        ),
        success=lambda a: a.get_absolute_url(),
        message="申请已起草, 请征求相关镇(街道)意见",
    )


def admission_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _admission_or_404(request, pk)
    own_towns = item.towns.filter(pk__in=unit_list(user=request.user).values("pk"))
    opinion_form = OpinionForm(None, units=own_towns, initial={"recorded_on": dt.date.today()})
    assignment_form = AssignmentForm(
        None, units=item.towns.all(), initial={"assigned_on": dt.date.today()}
    )
    action = request.POST.get("action")
    if request.method == "POST":
        try:
            if action == "opinion":
                opinion_form = OpinionForm(request.POST, units=own_towns)
                if opinion_form.is_valid():
                    admission.opinion_record(
                        actor=request.user, admission=item, **opinion_form.cleaned_data
                    )
                    messages.success(request, "意见已登记")
                    return redirect(item.get_absolute_url())
            elif action == "submit":
                admission.admission_submit(actor=request.user, admission=item)
                messages.success(request, "已提交审批")
                return redirect(item.get_absolute_url())
            elif action == "assign":
                assignment_form = AssignmentForm(request.POST, units=item.towns.all())
                if assignment_form.is_valid():
                    admission.task_assign(
                        actor=request.user, admission=item, **assignment_form.cleaned_data
                    )
                    messages.success(request, "任务已交办")
                    return redirect(item.get_absolute_url())
        except ValidationError as exc:
            target = assignment_form if action == "assign" else opinion_form
            if action == "submit":
                for message in exc.messages:
                    messages.error(request, message)
            else:
                apply_service_errors(target, exc)
    return render(
        request,
        "duties/admission_detail.html",
        {
            "admission": item,
            "opinions": item.opinions.select_related("unit"),
            "towns": item.towns.order_by("path"),
            "assignments": item.assignments.select_related("unit"),
            "opinion_form": opinion_form,
            "assignment_form": assignment_form,
            "may_submit": item.request_id is None and item.created_by_id == request.user.pk,
        },
        status=400 if (opinion_form.errors or assignment_form.errors) else 200,
    )
