"""Pages of the three lists: editions, comparison, consultation rounds and replies."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhenjie.core.forms import apply_service_errors
from zhenjie.core.views import int_or_404, service_form
from zhenjie.organizations.selectors import unit_list

from . import services
from .choices import EDITION_TRANSITIONS, EditionStatus
from .forms import ReplyForm, TransitionForm
from .models import ConsultationRound, Edition
from .selectors import edition_get, edition_rounds, list_index, round_get


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
