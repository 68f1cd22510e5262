"""Form helpers shared by every app."""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError beside the matching fields, the rest above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class AsOfForm(forms.Form):
    """The as-of date (截至日期) picker used by statistics pages."""

    on = forms.DateField(label="截至日期", required=False, widget=DateInput())

    def as_of(self) -> dt.date:
        if self.is_valid() and self.cleaned_data.get("on"):
            return self.cleaned_data["on"]
        return dt.date.today()
