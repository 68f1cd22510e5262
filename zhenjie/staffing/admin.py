from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import QuotaType


@admin.register(QuotaType)
class QuotaTypeAdmin(SimpleHistoryAdmin):
    """The quota-type table is configuration: names, nature and order are edited here."""

    list_display = ["name", "code", "nature", "is_administrative", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
