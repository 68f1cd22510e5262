"""Request kinds for quota changes: 核增编制, 核减编制 and 编制划转.

Each checks its payload when the request is created (so a request that the staffing office
could never record does not enter the queue) and, once approved, records the change through
the owning service: ``staffing.services.quota_movement_record`` or
``personnel.services.quota_transfer``. Those services check everything again at apply time.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import county_of, ensure_unit_access
from zhenjie.personnel.models import Enrolment, Person
from zhenjie.personnel.services import quota_transfer
from zhenjie.staffing.choices import MovementKind
from zhenjie.staffing.models import QuotaType
from zhenjie.staffing.selectors import quota_min_balance_from
from zhenjie.staffing.services import quota_movement_record, quota_type_check_unit

from .models import ApprovalRequest
from .registry import CleanedRequest, RequestKind, register

REQUEST_ACTION = "提出编制申请"


class PayloadReader:
    """Reads raw payload values (ids, ISO dates, text), collecting one error per field."""

    def __init__(self, data: Mapping[str, Any], fields: set[str]) -> None:
        unknown = set(data) - fields
        if unknown:
            raise ValidationError(f"未知字段: {'、'.join(sorted(unknown))}")
        self.data = data
        self.errors: dict[str, str] = {}

    def _raw(self, field: str) -> Any:
        value = self.data.get(field)
        return getattr(value, "pk", value)

    def _int(self, field: str) -> int | None:
        value = self._raw(field)
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value.strip())
        return None

    def unit(self, field: str, missing: str) -> Unit | None:
        pk = self._int(field)
        unit = Unit.objects.filter(pk=pk).first() if pk is not None else None
        if unit is None:
            self.errors[field] = missing
        return unit

    def quota_type(self, field: str = "quota_type") -> QuotaType | None:
        pk = self._int(field)
        found = QuotaType.objects.filter(pk=pk, is_active=True).first() if pk is not None else None
        if found is None:
            self.errors[field] = "请选择编制类型"
        return found

    def positive_int(self, field: str, message: str) -> int:
        value = self._int(field)
        if value is None or value <= 0:
            self.errors[field] = message
            return 0
        return value

    def date(self, field: str, label: str) -> dt.date:
        value = self._raw(field)
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value or "").strip())
        except ValueError:
            self.errors[field] = f"请填写{label}(格式YYYY-MM-DD)"
            return dt.date.min

    def text(self, field: str, *, max_length: int, required: str = "") -> str:
        value = str(self._raw(field) or "").strip()
        if required and not value:
            self.errors[field] = required
        elif len(value) > max_length:
            self.errors[field] = f"不能超过{max_length}个字"
        return value

    def ids(self, field: str) -> list[int]:
        value = self._raw(field) or []
        if not isinstance(value, list | tuple):
            self.errors[field] = "人员列表格式错误"
            return []
        ids = []
        for item in value:
            pk = getattr(item, "pk", item)
            if isinstance(pk, str) and pk.strip().isdigit():
                pk = int(pk)
            if not isinstance(pk, int) or isinstance(pk, bool):
                self.errors[field] = "人员列表格式错误"
                return []
            ids.append(pk)
        return ids

    def done(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _check_active(unit: Unit, on: dt.date, field: str) -> None:
    if not unit.is_active_on(on):
        raise ValidationError({field: f"{unit.name}在{on}不存在或已撤销"})


def _names(model: Any, ids: list[int]) -> dict[int, str]:
    return dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))


# ---------------------------------------------------------------- 核增 / 核减


@dataclass(frozen=True)
class QuotaChange:
    """The payload of 核增编制 / 核减编制, read back from JSON."""

    unit: Unit
    quota_type: QuotaType
    amount: int
    doc_no: str
    effective_on: dt.date
    summary: str


class QuotaChangeKind(RequestKind):
    """核增 or 核减 of one unit's quota of one type."""

    movement_kind: str = ""
    verb: str = ""
    fields = {"unit", "quota_type", "amount", "doc_no", "effective_on", "summary"}

    def _read(self, data: Mapping[str, Any]) -> tuple[PayloadReader, QuotaChange]:
        r = PayloadReader(data, self.fields)
        unit = r.unit("unit", "请选择申请机构")
        quota_type = r.quota_type()
        amount = r.positive_int("amount", "申请编制数必须是正整数")
        doc_no = r.text("doc_no", max_length=100, required="请填写批准文号")
        effective_on = r.date("effective_on", "生效日期")
        summary = r.text("summary", max_length=300)
        r.done()
        assert unit is not None and quota_type is not None
        return r, QuotaChange(unit, quota_type, amount, doc_no, effective_on, summary)

    def clean(self, *, actor: Any, data: Mapping[str, Any]) -> CleanedRequest:
        _, change = self._read(data)
        unit, quota_type = change.unit, change.quota_type
        ensure_unit_access(user=actor, unit=unit, allowed=True, action=REQUEST_ACTION)
        quota_type_check_unit(quota_type=quota_type, unit=unit)
        _check_active(unit, change.effective_on, "unit")
        if self.movement_kind == MovementKind.DECREASE:
            lowest = quota_min_balance_from(
                unit=unit, quota_type=quota_type, on=change.effective_on
            )
            if lowest < change.amount:
                raise ValidationError(
                    {
                        "amount": f"核减{change.amount}名后{unit.name}的{quota_type.name}将为负数(现有{lowest}名)"
                    }
                )
        return CleanedRequest(
            unit=unit,
            title=f"{unit.name}{self.verb}{quota_type.name}{change.amount}名"[:200],
            payload={
                "unit": unit.pk,
                "quota_type": quota_type.pk,
                "amount": change.amount,
                "doc_no": change.doc_no,
                "effective_on": change.effective_on.isoformat(),
                "summary": change.summary,
            },
        )

    def describe(self, payload: Mapping[str, Any]) -> list[tuple[str, str]]:
        units = _names(Unit, [payload["unit"]])
        types = _names(QuotaType, [payload["quota_type"]])
        return [
            ("申请机构", units.get(payload["unit"], "")),
            ("编制类型", types.get(payload["quota_type"], "")),
            (f"{self.verb}编制数", f"{payload['amount']}名"),
            ("批准文号", payload["doc_no"]),
            ("生效日期", payload["effective_on"]),
            ("摘要", payload["summary"] or "—"),
        ]

    def apply(self, *, actor: Any, request: ApprovalRequest) -> dict[str, Any]:
        _, change = self._read(request.payload)
        movement = quota_movement_record(
            actor=actor,
            unit=change.unit,
            quota_type=change.quota_type,
            kind=self.movement_kind,
            amount=change.amount,
            doc_no=change.doc_no,
            effective_on=change.effective_on,
            summary=change.summary or request.title,
        )
        return {"movement": movement.pk}


class QuotaIncreaseKind(QuotaChangeKind):
    kind = "quota_increase"
    movement_kind = MovementKind.INCREASE
    verb = "核增"


class QuotaDecreaseKind(QuotaChangeKind):
    kind = "quota_decrease"
    movement_kind = MovementKind.DECREASE
    verb = "核减"


# ---------------------------------------------------------------- 划转


@dataclass(frozen=True)
class Transfer:
    """The payload of 编制划转, read back from JSON."""

    from_unit: Unit
    to_unit: Unit
    quota_type: QuotaType
    amount: int
    persons: list[int]
    doc_no: str
    effective_on: dt.date
    summary: str


class QuotaTransferKind(RequestKind):
    """编制划转: quota, and the people on it, move from one unit to another of the same county."""

    kind = "quota_transfer"
    fields = {
        "from_unit",
        "to_unit",
        "quota_type",
        "amount",
        "persons",
        "doc_no",
        "effective_on",
        "summary",
    }

    def _read(self, data: Mapping[str, Any]) -> Transfer:
        r = PayloadReader(data, self.fields)
        from_unit = r.unit("from_unit", "请选择划出机构")
        to_unit = r.unit("to_unit", "请选择划入机构")
        quota_type = r.quota_type()
        amount = r.positive_int("amount", "划转编制数必须是正整数")
        persons = r.ids("persons")
        doc_no = r.text("doc_no", max_length=100, required="请填写批准文号")
        effective_on = r.date("effective_on", "生效日期")
        summary = r.text("summary", max_length=300)
        r.done()
        assert from_unit is not None and to_unit is not None and quota_type is not None
        return Transfer(
            from_unit, to_unit, quota_type, amount, persons, doc_no, effective_on, summary
        )

    def clean(self, *, actor: Any, data: Mapping[str, Any]) -> CleanedRequest:
        t = self._read(data)
        ensure_unit_access(user=actor, unit=t.from_unit, allowed=True, action=REQUEST_ACTION)
        if t.from_unit.pk == t.to_unit.pk:
            raise ValidationError({"to_unit": "划出机构与划入机构不能相同"})
        # Both ends must be within one county, whose staffing office records the transfer.
        county = county_of(t.from_unit)
        if county is None or county_of(t.to_unit) != county:
            where = county.name if county else "同一旗县(市、区)"
            raise ValidationError({"to_unit": f"划入机构须与划出机构同属{where}"})
        quota_type_check_unit(quota_type=t.quota_type, unit=t.from_unit, field="from_unit")
        quota_type_check_unit(quota_type=t.quota_type, unit=t.to_unit, field="to_unit")
        _check_active(t.from_unit, t.effective_on, "from_unit")
        _check_active(t.to_unit, t.effective_on, "to_unit")
        if len(set(t.persons)) != len(t.persons):
            raise ValidationError({"persons": "随编划转人员有重复"})
        if len(t.persons) > t.amount:
            raise ValidationError(
                {"persons": f"随编划转{len(t.persons)}人, 超过划转编制数{t.amount}名"}
            )
        lowest = quota_min_balance_from(
            unit=t.from_unit, quota_type=t.quota_type, on=t.effective_on
        )
        if lowest < t.amount:
            raise ValidationError(
                {
                    "amount": f"{t.from_unit.name}的{t.quota_type.name}只有{lowest}名, 不能划出{t.amount}名"
                }
            )
        self._check_persons(t)
        return CleanedRequest(
            unit=t.from_unit,
            title=f"{t.from_unit.name}划转{t.quota_type.name}{t.amount}名至{t.to_unit.name}"[:200],
            payload={
                "from_unit": t.from_unit.pk,
                "to_unit": t.to_unit.pk,
                "quota_type": t.quota_type.pk,
                "amount": t.amount,
                "persons": sorted(t.persons),
                "doc_no": t.doc_no,
                "effective_on": t.effective_on.isoformat(),
                "summary": t.summary,
            },
        )

    def _check_persons(self, t: Transfer) -> None:
        """人随编走: each person holds an open place of this type in the from-unit."""
        if not t.persons:
            return
        names = _names(Person, t.persons)
        unknown = [pk for pk in t.persons if pk not in names]
        if unknown:
            raise ValidationError({"persons": "所选人员不存在"})
        on_quota = set(
            Enrolment.objects.active_on(t.effective_on)
            .filter(
                person_id__in=t.persons,
                unit=t.from_unit,
                quota_type=t.quota_type,
                end_date__isnull=True,
            )
            .values_list("person_id", flat=True)
        )
        for pk in t.persons:
            if pk not in on_quota:
                raise ValidationError(
                    {
                        "persons": f"{names[pk]}不在{t.from_unit.name}的{t.quota_type.name}上, 不能随编划转"
                    }
                )

    def describe(self, payload: Mapping[str, Any]) -> list[tuple[str, str]]:
        units = _names(Unit, [payload["from_unit"], payload["to_unit"]])
        types = _names(QuotaType, [payload["quota_type"]])
        people = _names(Person, payload["persons"])
        return [
            ("划出机构", units.get(payload["from_unit"], "")),
            ("划入机构", units.get(payload["to_unit"], "")),
            ("编制类型", types.get(payload["quota_type"], "")),
            ("划转编制数", f"{payload['amount']}名"),
            ("随编划转人员", "、".join(people.get(pk, "") for pk in payload["persons"]) or "—"),
            ("批准文号", payload["doc_no"]),
            ("生效日期", payload["effective_on"]),
            ("摘要", payload["summary"] or "—"),
        ]

    def apply(self, *, actor: Any, request: ApprovalRequest) -> dict[str, Any]:
        t = self._read(request.payload)
        transfer = quota_transfer(
            actor=actor,
            from_unit=t.from_unit,
            to_unit=t.to_unit,
            quota_type=t.quota_type,
            amount=t.amount,
            doc_no=t.doc_no,
            effective_on=t.effective_on,
            persons=list(Person.objects.filter(pk__in=t.persons).order_by("pk")),
            summary=t.summary,
        )
        return {"transfer": transfer.pk}


def register_quota_kinds() -> None:
    """Called from WorkflowsConfig.ready."""
    for handler in (QuotaIncreaseKind(), QuotaDecreaseKind(), QuotaTransferKind()):
        register(handler)
