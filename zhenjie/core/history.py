"""Readable change history (who, when, before and after) from django-simple-history records."""

from dataclasses import dataclass, field
from typing import Any

from .validators import mask_id_number, mask_phone

MASKERS = {"id_number": mask_id_number, "phone": mask_phone}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryRow:
    when: Any
    who: str
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _show(model: Any, name: str, value: Any) -> str:
    if value in (None, ""):
        return "(空)"
    if name in MASKERS:
        return MASKERS[name](str(value))
    f = model._meta.get_field(name)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    return str(value)


def history_rows(history_qs: Any, limit: int = 50) -> list[HistoryRow]:
    """Newest first; each row lists its field changes against the previous record (no extra queries)."""
    records = list(history_qs.select_related("history_user").order_by("history_date", "history_id"))
    rows: list[HistoryRow] = []
    previous = None
    for record in records:
        user = record.history_user
        row = HistoryRow(
            when=record.history_date,
            who=(user.first_name or user.username) if user else "系统",
            action=record.get_history_type_display(),
            reason=record.history_change_reason or "",
        )
        if previous is not None and record.history_type == "~":
            model = record.instance_type
            for change in record.diff_against(previous).changes:
                label = str(model._meta.get_field(change.field).verbose_name)
                row.changes.append(
                    Change(
                        label,
                        _show(model, change.field, change.old),
                        _show(model, change.field, change.new),
                    )
                )
        rows.append(row)
        previous = record
    return list(reversed(rows))[:limit]
