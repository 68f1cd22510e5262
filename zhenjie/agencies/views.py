"""Pages of the dispatched agencies (派出机构): list, detail with staff, annual assessments,
personnel moves with the town's opinion, and tasks under unified command."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhenjie.core.forms import apply_service_errors
from zhenjie.core.history import history_rows
from zhenjie.core.views import service_form
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.views import unit_or_404
from zhenjie.personnel.selectors import person_list

from . import selectors, services
from .choices import AssessmentParty, MoveStatus
from .forms import (
    AgencyForm,
    AssessmentForm,
    DecisionForm,
    MoveForm,
    OpinionForm,
    TaskCloseForm,
    TaskForm,
)
from .models import Agency, CommandTask, PersonnelMove


def _agency_or_404(request: HttpRequest, pk: int) -> Agency:
    try:
        return selectors.agency_get(user=request.user, pk=pk)
    except Agency.DoesNotExist:
        raise Http404("派出机构不存在或不在您的权限范围内") from None


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return dt.date.today().year - 1


def overview_view(request: HttpRequest) -> HttpResponse:
    """Every dispatched agency in scope with its dual-management status."""
    return render(
        request,
        "agencies/overview.html",
        {"units": selectors.agency_unit_list(user=request.user), "today": dt.date.today()},
    )


def agency_register_view(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = unit_or_404(request, unit_pk)
    if unit.kind != UnitKind.DISPATCHED_AGENCY:
        raise Http404("该机构不是派出机构")
    staff = (
        person_list(user=request.user)
        .filter(posts__unit=unit, posts__end_date__isnull=True)
        .distinct()
    )
    form = AgencyForm(request.POST or None, staff=staff, initial={"since": unit.established_on})
    return service_form(
        request,
        form=form,
        template="agencies/agency_form.html",
        context={"unit": unit},
        run=lambda d: services.agency_register(actor=request.user, unit=unit, **d),
        success=lambda a: a.get_absolute_url(),
        message="已登记双重管理",
    )


def agency_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _agency_or_404(request, pk)
    user = request.user
    today = dt.date.today()
    parties = selectors.parties_for(user=user, agency=agency)
    forms: dict[str, Any] = {
        "assessment": AssessmentForm(
            None, parties=parties, initial={"year": today.year - 1, "scored_on": today}
        ),
        "move": MoveForm(
            None, people=person_list(user=user).order_by("name"), initial={"proposed_on": today}
        ),
        "task": TaskForm(None, initial={"assigned_on": today}),
    }
    action = request.POST.get("action", "")
    if request.method == "POST" and action in forms:
        form: Any
        if action == "assessment":
            form = AssessmentForm(request.POST, parties=parties)
        elif action == "move":
            form = MoveForm(request.POST, people=person_list(user=user))
        else:
            form = TaskForm(request.POST)
        forms[action] = form
        if form.is_valid():
            run: Any = {
                "assessment": services.assessment_record,
                "move": services.move_propose,
                "task": services.task_assign,
            }[action]
            try:
                result = run(actor=user, agency=agency, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    {
                        "assessment": "评分已登记",
                        "move": "人员调整已提出, 待镇(街道)党(工)委意见",
                        "task": "任务已交办",
                    }[action],
                )
                target = (
                    result.get_absolute_url() if action == "move" else agency.get_absolute_url()
                )
                return redirect(target)
    results = selectors.agency_annual_results(agency=agency, today=today)
    has_errors = any(f.errors for f in forms.values())
    return render(
        request,
        "agencies/agency_detail.html",
        {
            "agency": agency,
            "staff": selectors.agency_staff(agency=agency, on=today),
            "results": results,
            "moves": agency.moves.select_related("person").order_by("-proposed_on", "-id"),
            "tasks": agency.tasks.order_by("-assigned_on", "-id")[:20],
            "parties": parties,
            "may_act_for_town": AssessmentParty.TOWN in parties,
            "may_act_for_department": AssessmentParty.DEPARTMENT in parties,
            "forms": forms,
            "history": history_rows(agency.history.all()),
            "weight": services.town_weight(),
        },
        status=400 if has_errors else 200,
    )


def assessment_list_view(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    return render(
        request,
        "agencies/assessment_list.html",
        {
            "year": year,
            "years": selectors.assessment_years(user=request.user),
            "results": selectors.annual_results(user=request.user, year=year),
            "weight": services.town_weight(),
        },
    )


def move_list_view(request: HttpRequest) -> HttpResponse:
    moves = selectors.move_list(user=request.user)
    status = request.GET.get("status", "")
    if status in MoveStatus.values:
        moves = moves.filter(status=status)
    return render(
        request,
        "agencies/move_list.html",
        {"moves": moves, "status": status, "statuses": MoveStatus.choices},
    )


def move_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        move = selectors.move_get(user=request.user, pk=pk)
    except PersonnelMove.DoesNotExist:
        raise Http404("人员调整不存在或不在您的权限范围内") from None
    user = request.user
    today = dt.date.today()
    parties = selectors.parties_for(user=user, agency=move.agency)
    opinion_form = OpinionForm(None, initial={"opinion_on": today})
    decision_form = DecisionForm(None, initial={"decided_on": today})
    action = request.POST.get("action", "")
    if request.method == "POST":
        form: Any = None
        try:
            if action == "opinion":
                form = opinion_form = OpinionForm(request.POST)
                if form.is_valid():
                    services.move_opinion_record(actor=user, move=move, **form.cleaned_data)
                    messages.success(request, "镇(街道)党(工)委意见已记录")
                    return redirect(move.get_absolute_url())
            elif action == "decide":
                form = decision_form = DecisionForm(request.POST)
                if form.is_valid():
                    services.move_decide(actor=user, move=move, **form.cleaned_data)
                    messages.success(request, "决定已记录")
                    return redirect(move.get_absolute_url())
            elif action == "withdraw":
                services.move_withdraw(actor=user, move=move)
                messages.success(request, "已撤回")
                return redirect(move.get_absolute_url())
        except ValidationError as exc:
            if form is None:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                apply_service_errors(form, exc)
        except PermissionDenied as exc:
            if form is None:
                raise
            form.add_error(None, str(exc))
    return render(
        request,
        "agencies/move_detail.html",
        {
            "move": move,
            "opinion_form": opinion_form,
            "decision_form": decision_form,
            "may_act_for_town": AssessmentParty.TOWN in parties,
            "may_act_for_department": AssessmentParty.DEPARTMENT in parties,
            "history": history_rows(move.history.all()),
        },
        status=400 if (opinion_form.errors or decision_form.errors) else 200,
    )


def task_list_view(request: HttpRequest) -> HttpResponse:
    tasks = selectors.task_list(user=request.user)
    if request.GET.get("open") == "1":
        tasks = tasks.filter(outcome="")
    return render(
        request,
        "agencies/task_list.html",
        {
            "tasks": tasks[:500],
            "only_open": request.GET.get("open") == "1",
            "today": dt.date.today(),
        },
    )


def task_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        task = selectors.task_get(user=request.user, pk=pk)
    except CommandTask.DoesNotExist:
        raise Http404("任务不存在或不在您的权限范围内") from None
    parties = selectors.parties_for(user=request.user, agency=task.agency)
    form = TaskCloseForm(request.POST or None, initial={"completed_on": dt.date.today()})
    if request.method == "POST" and AssessmentParty.TOWN not in parties:
        raise PermissionDenied("只有派出机构所在镇(街道)可以登记任务办理结果")
    return service_form(
        request,
        form=form,
        template="agencies/task_detail.html",
        context={
            "task": task,
            "may_close": task.is_open and AssessmentParty.TOWN in parties,
            "history": history_rows(task.history.all()),
        },
        run=lambda d: services.task_close(actor=request.user, task=task, **d),
        success=lambda t: t.agency.get_absolute_url(),
        message="办理结果已登记",
    )
