"""Pages of the dispatched agencies (派出机构)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def overview_view(request: HttpRequest) -> HttpResponse:
    return render(request, "agencies/overview.html", {})
