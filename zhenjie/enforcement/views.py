"""Pages of comprehensive administrative law enforcement (综合行政执法)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def overview_view(request: HttpRequest) -> HttpResponse:
    return render(request, "enforcement/overview.html", {})
