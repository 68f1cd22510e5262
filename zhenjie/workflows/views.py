"""Approval pages: my requests, my inbox, one request with its trail and buttons, new requests."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhenjie.core.views import service_form

from . import registry, services
from .forms import REQUEST_FORMS, DecisionForm, WithdrawForm
from .models import ApprovalRequest
from .reminders import approval_due_days
from .selectors import (
    definition_list,
    inbox,
    my_requests,
    request_actions,
    request_due_on,
    request_get,
    stage_approver_text,
    user_may_request,
)


def _request_or_404(request: HttpRequest, pk: int) -> ApprovalRequest:
    try:
        return request_get(user=request.user, pk=pk)
    except ApprovalRequest.DoesNotExist:
        raise Http404("申请不存在或不在您的权限范围内") from None


def request_list_view(request: HttpRequest) -> HttpResponse:
    """我的申请."""
    may_request = user_may_request(request.user)
    return render(
        request,
        "workflows/request_list.html",
        {
            "requests": my_requests(user=request.user)[:200],
            "definitions": list(definition_list()) if may_request else [],
        },
    )


def inbox_view(request: HttpRequest) -> HttpResponse:
    """待我审批: requests at a stage this user decides, with the day each is due."""
    days = approval_due_days()
    today = dt.date.today()
    rows = [(r, request_due_on(request=r, days=days)) for r in inbox(user=request.user)]
    return render(request, "workflows/inbox.html", {"rows": rows, "today": today, "due_days": days})


def _detail(
    request: HttpRequest,
    obj: ApprovalRequest,
    *,
    error: str = "",
    comment: str = "",
    status: int = 200,
) -> HttpResponse:
    try:
        details = registry.get(obj.kind).describe(obj.payload)
    except ValidationError:
        details = [(key, str(value)) for key, value in obj.payload.items()]
    stage = obj.current_stage
    return render(
        request,
        "workflows/request_detail.html",
        {
            "obj": obj,
            "details": details,
            "stages": list(obj.definition.stages.order_by("order")),
            "steps": list(
                obj.steps.select_related("actor", "applied_by").order_by("created_at", "id")
            ),
            "actions": request_actions(user=request.user, request=obj),
            "waiting_for": stage_approver_text(stage=stage, unit=obj.unit) if stage else "",
            "decision_form": DecisionForm(
                initial={"stage": obj.current_stage_id, "comment": comment}
            ),
            "withdraw_form": WithdrawForm(),
            "error": error,
        },
        status=status,
    )


def request_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _request_or_404(request, pk))


def _act(
    request: HttpRequest,
    pk: int,
    run: Callable[[ApprovalRequest, dict[str, Any]], Any],
    message: str,
    form_class: type[DecisionForm] | type[WithdrawForm] = DecisionForm,
) -> HttpResponse:
    """Run one transition; on refusal show the request again with the reason, nothing changed."""
    obj = _request_or_404(request, pk)
    form = form_class(request.POST)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    try:
        run(obj, data)
    except PermissionDenied as exc:
        return _detail(request, obj, error=str(exc), status=403)
    except ValidationError as exc:
        obj.refresh_from_db()
        comment = request.POST.get("comment", "")
        return _detail(request, obj, error="; ".join(exc.messages), comment=comment, status=400)
    messages.success(request, message)
    return redirect(obj.get_absolute_url())


@require_POST
def request_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda obj, d: services.request_submit(actor=request.user, request=obj),
        "申请已提交",
    )


@require_POST
def request_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda obj, d: services.request_approve(
            actor=request.user,
            request=obj,
            stage_id=d.get("stage") or 0,
            comment=d.get("comment", ""),
        ),
        "已同意",
    )


@require_POST
def request_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda obj, d: services.request_reject(
            actor=request.user,
            request=obj,
            stage_id=d.get("stage") or 0,
            reason=d.get("comment", ""),
        ),
        "已不同意, 申请已办结",
    )


@require_POST
def request_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda obj, d: services.request_withdraw(
            actor=request.user, request=obj, reason=d.get("reason", "")
        ),
        "申请已撤回",
        WithdrawForm,
    )


def request_create_view(request: HttpRequest) -> HttpResponse:
    """New request of ``?kind=``; without a kind, the list of kinds to choose from."""
    if not user_may_request(request.user):
        raise PermissionDenied("您的角色不能提出审批申请")
    kind = request.GET.get("kind", "")
    definitions = definition_list()
    if not kind:
        return render(request, "workflows/request_kinds.html", {"definitions": definitions})
    definition = definitions.filter(kind=kind).first()
    form_class = REQUEST_FORMS.get(kind)
    if definition is None or form_class is None:
        raise Http404("申请类型不存在或已停用")
    initial: dict[str, Any] = {"effective_on": dt.date.today()}
    initial.update({k: v for k, v in request.GET.items() if k != "kind"})
    form = form_class(request.POST or None, user=request.user, initial=initial)
    submit = "draft" not in request.POST
    return service_form(
        request,
        form=form,
        template="workflows/request_form.html",
        context={
            "title": f"新建申请: {definition.name}",
            "definition": definition,
            "stages": list(definition.stages.order_by("order")),
        },
        run=lambda d: services.request_create(
            actor=request.user, kind=kind, payload=form.payload(), submit=submit
        ),
        success=lambda r: r.get_absolute_url(),
        message="申请已提交, 等待审批" if submit else "申请已保存为草稿",
    )
