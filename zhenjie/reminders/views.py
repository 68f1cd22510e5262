"""The reminders page and the panel fragment for the home page."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import reminders_for


def reminder_list_view(request: HttpRequest) -> HttpResponse:
    """待办提醒: everything due for the user, earliest first."""
    today = dt.date.today()
    return render(
        request,
        "reminders/reminder_list.html",
        {"reminders": reminders_for(user=request.user, today=today), "today": today},
    )


def reminder_panel_view(request: HttpRequest) -> HttpResponse:
    """The panel alone, for pages that load it by URL (hx-get) instead of including it."""
    today = dt.date.today()
    return render(
        request,
        "reminders/_panel.html",
        {"reminders": reminders_for(user=request.user, today=today), "today": today},
    )
