from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import ApprovalDefinition, ApprovalRequest, ApprovalStage, ApprovalStep


class ApprovalStageInline(admin.TabularInline):
    model = ApprovalStage
    extra = 0
    fields = ["order", "name", "approver_role", "approver_location"]
    ordering = ["order"]


@admin.register(ApprovalDefinition)
class ApprovalDefinitionAdmin(SimpleHistoryAdmin):
    """Approval definitions are configuration: names, stages, approver roles and places.

    The kind key is fixed once a definition exists: it names the handler in code.
    """

    list_display = ["name", "kind", "is_active"]
    list_editable = ["is_active"]
    inlines = [ApprovalStageInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["kind"] if obj is not None else []


class ApprovalStepInline(admin.TabularInline):
    """The audit trail, shown and never edited."""

    model = ApprovalStep
    extra = 0
    fields = ["created_at", "stage_name", "actor", "decision", "comment", "applied_by"]
    readonly_fields = ["created_at", "stage_name", "actor", "decision", "comment", "applied_by"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(SimpleHistoryAdmin):
    """Read-only here: requests change only through the approval services (checked, audited)."""

    list_display = ["title", "definition", "unit", "status", "current_stage", "requester"]
    list_filter = ["status", "definition"]
    search_fields = ["title"]
    inlines = [ApprovalStepInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
