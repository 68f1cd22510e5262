"""View helpers: run one service from a valid form and render errors beside fields."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .forms import AsOfForm, apply_service_errors


def as_of(request: HttpRequest) -> tuple[AsOfForm, dt.date]:
    form = AsOfForm(request.GET or None)
    return form, form.as_of()


def service_form(
    request: HttpRequest,
    *,
    form: Any,
    template: str,
    context: dict[str, Any],
    run: Callable[[dict[str, Any]], Any],
    success: Callable[[Any], str],
    message: str,
) -> HttpResponse:
    """POST: validate, call ``run`` (one service call), redirect; errors stay on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = run(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            for warning in getattr(result, "warnings", []):
                messages.warning(request, warning)
            messages.success(request, message)
            return redirect(success(getattr(result, "obj", result)))
    return render(request, template, {**context, "form": form}, status=400 if form.errors else 200)


def int_or_404(value: str) -> int:
    """A numeric id from the query string; anything else is a missing page, not a crash."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("参数无效") from None
