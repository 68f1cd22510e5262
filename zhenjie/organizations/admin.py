from django.contrib import admin

from .models import Division, Unit


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    """Divisions are reference data; units are created through the application's pages."""

    list_display = ["code", "name", "level", "parent"]
    search_fields = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """Read-only here: every change to a unit goes through the services (checked and audited)."""

    list_display = ["name", "kind", "parent", "established_on", "abolished_on"]
    search_fields = ["name"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
