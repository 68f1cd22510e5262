"""Foreign references in sheets: units, quota types, divisions, delegation batches, power
categories and duty lists, found by name or code.

A reference resolves what a user typed (a unit name, “上级机构/机构名称”, a credit code, a quota
type's name or code) and writes, on export, a label that resolves back to the same object.
"""

import re
from collections import defaultdict
from collections.abc import Collection
from typing import Any

from zhenjie.core.validators import normalize_code
from zhenjie.duties.models import DutyList
from zhenjie.duties.selectors import list_index
from zhenjie.organizations.models import Division, Unit
from zhenjie.organizations.selectors import unit_list
from zhenjie.powers.models import DelegationBatch, PowerCategory
from zhenjie.staffing.models import QuotaType

from .tabular import CellError, clean_name, lookup_key

_PATH_SEPARATOR = re.compile(r"\s*[/／\\>＞]\s*")


class UnitReference:
    """Units (机构) by unified social credit code, “上级机构/机构名称”, or name.

    Names are looked up among the units the user may see; a name found only outside that scope
    still resolves, so that the service's own permission message is shown for it. ``kinds``
    narrows the template's drop-down list (e.g. to towns and streets); any unit still resolves.
    """

    def __init__(self, *, user: Any, kinds: Collection[str] | None = None) -> None:
        self.kinds = set(kinds) if kinds is not None else None
        self.units: dict[int, Unit] = {u.pk: u for u in unit_list(user=user).order_by("path")}
        self._by_name: dict[str, list[Unit]] = defaultdict(list)
        self._by_credit: dict[str, Unit] = {}
        for unit in self.units.values():
            self._index(unit)
        self._outside: dict[str, Unit | None] = {}
        # Sheets repeat the same few unit names on every row.
        self._memo: dict[str, Unit | CellError] = {}

    def _index(self, unit: Unit) -> None:
        self._by_name[lookup_key(unit.name)].append(unit)
        if unit.credit_code:
            self._by_credit[unit.credit_code] = unit

    def add(self, unit: Unit) -> None:
        """Make a unit created during an import findable by later rows."""
        self.units[unit.pk] = unit
        self._index(unit)
        self._memo.clear()

    def visible_ids(self) -> set[int]:
        return set(self.units)

    def get(self, pk: int) -> Unit:
        """A unit by id, visible or not (for messages about units outside the scope)."""
        return self.units.get(pk) or Unit.objects.select_related("parent").get(pk=pk)

    def _parent(self, unit: Unit) -> Unit | None:
        if unit.parent_id is None:
            return None
        return self.units.get(unit.parent_id) or unit.parent

    def _ancestors_match(self, unit: Unit, prefix: list[str]) -> bool:
        current: Unit | None = unit
        for name in reversed(prefix):
            current = self._parent(current) if current is not None else None
            if current is None or lookup_key(current.name) != lookup_key(name):
                return False
        return True

    def _lookup_outside(self, name: str, prefix: list[str]) -> Unit | None:
        cache_key = "/".join([*prefix, name])
        if cache_key not in self._outside:
            found = Unit.objects.filter(name=name).select_related("parent")
            if prefix:
                found = found.filter(parent__name=prefix[-1])
            units = list(found.order_by("abolished_on", "pk")[:2])
            live = [u for u in units if u.abolished_on is None]
            self._outside[cache_key] = (live or units)[0] if units else None
        return self._outside[cache_key]

    def resolve(self, text: str) -> Unit:
        found = self._memo.get(text)
        if found is None:
            try:
                found = self._resolve(text)
            except CellError as exc:
                found = exc
            self._memo[text] = found
        if isinstance(found, CellError):
            raise CellError(str(found))
        return found

    def _resolve(self, text: str) -> Unit:
        code = normalize_code(text)
        if len(code) == 18 and code in self._by_credit:
            return self._by_credit[code]
        parts = [clean_name(p) for p in _PATH_SEPARATOR.split(text) if p.strip()]
        if not parts:
            raise CellError(f"找不到机构“{text}”")
        name, prefix = parts[-1], parts[:-1]
        candidates = self._by_name.get(lookup_key(name), [])
        if prefix:
            candidates = [u for u in candidates if self._ancestors_match(u, prefix)]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            live = [u for u in candidates if u.abolished_on is None]
            if len(live) == 1:
                return live[0]
            raise CellError(
                f"机构名称“{text}”对应{len(candidates)}个机构, "
                "请写成“上级机构/机构名称”或填写统一社会信用代码"
            )
        outside = self._lookup_outside(name, prefix)
        if outside is None:
            raise CellError(f"找不到机构“{text}”")
        return outside

    def _resolves_to(self, text: str, unit: Unit) -> bool:
        try:
            return self.resolve(text).pk == unit.pk
        except CellError:
            return False

    def label(self, unit: Any) -> str:
        """The shortest text that resolves back to ``unit``: name, “上级/名称”, code, path."""
        if unit is None:
            return ""
        if self._resolves_to(unit.name, unit):
            return unit.name
        parent = self._parent(unit)
        if parent is not None and self._resolves_to(f"{parent.name}/{unit.name}", unit):
            return f"{parent.name}/{unit.name}"
        if unit.credit_code:
            return unit.credit_code
        names = [unit.name]
        current = parent
        while current is not None:
            names.insert(0, current.name)
            current = self._parent(current)
        return "/".join(names)

    def options(self) -> list[str]:
        return [
            self.label(u)
            for u in self.units.values()
            if u.abolished_on is None and (self.kinds is None or u.kind in self.kinds)
        ]


class QuotaTypeReference:
    """Quota types (编制类型) by name or code; “行政” stands for “行政编制”."""

    def __init__(self) -> None:
        self.types = list(QuotaType.objects.all())
        self._keys: dict[str, QuotaType] = {}
        for quota_type in self.types:
            for text in (quota_type.name, quota_type.code, quota_type.name.removesuffix("编制")):
                self._keys.setdefault(lookup_key(text), quota_type)
                self._keys.setdefault(text, quota_type)

    def resolve(self, text: str) -> QuotaType:
        found = self._keys.get(text) or self._keys.get(lookup_key(text))
        if found is None:
            names = "、".join(t.name for t in self.types if t.is_active)
            raise CellError(f"找不到编制类型“{text}”, 可选: {names}")
        return found

    def label(self, quota_type: Any) -> str:
        return quota_type.name if quota_type is not None else ""

    def options(self) -> list[str]:
        return [t.name for t in self.types if t.is_active]


class DivisionReference:
    """Administrative divisions (行政区划) by their code (区划代码)."""

    def __init__(self) -> None:
        self._cache: dict[str, Division | None] = {}

    def resolve(self, text: str) -> Division:
        code = normalize_code(text)
        if code not in self._cache:
            self._cache[code] = Division.objects.filter(code=code).first()
        found = self._cache[code]
        if found is None:
            raise CellError(f"找不到区划代码“{text}”")
        return found

    def label(self, division: Any) -> str:
        return division.code if division is not None else ""

    def options(self) -> list[str]:
        return []


class BatchReference:
    """Delegation batches (赋权批次) by document number (文号) or name."""

    def __init__(self) -> None:
        self.batches = list(DelegationBatch.objects.order_by("-issued_on", "-id"))
        self._keys: dict[str, DelegationBatch] = {}
        for batch in self.batches:
            self._keys.setdefault(lookup_key(batch.doc_no), batch)
        for batch in self.batches:
            self._keys.setdefault(lookup_key(batch.name), batch)

    def resolve(self, text: str) -> DelegationBatch:
        found = self._keys.get(lookup_key(text))
        if found is None:
            raise CellError(f"找不到赋权批次“{text}”, 请填写已登记的赋权文件文号")
        return found

    def label(self, batch: Any) -> str:
        return batch.doc_no if batch is not None else ""

    def options(self) -> list[str]:
        return [b.doc_no for b in self.batches]


class CategoryReference:
    """Categories of administrative power (权力类别) by name or code."""

    def __init__(self) -> None:
        self.categories = list(PowerCategory.objects.all())
        self._keys: dict[str, PowerCategory] = {}
        for category in self.categories:
            for text in (category.name, category.code):
                self._keys.setdefault(lookup_key(text), category)

    def resolve(self, text: str) -> PowerCategory:
        found = self._keys.get(lookup_key(text))
        if found is None:
            names = "、".join(c.name for c in self.categories)
            raise CellError(f"找不到权力类别“{text}”, 可选: {names}")
        return found

    def label(self, category: Any) -> str:
        return category.name if category is not None else ""

    def options(self) -> list[str]:
        return [c.name for c in self.categories]


class DutyListReference:
    """Duty lists (清单) the user sees, by name or “旗县名称/清单名称”."""

    def __init__(self, *, user: Any) -> None:
        self.lists = list(list_index(user=user).order_by("county__path", "kind", "name"))
        self._by_name: dict[str, list[DutyList]] = defaultdict(list)
        for duty_list in self.lists:
            self._by_name[lookup_key(duty_list.name)].append(duty_list)

    def resolve(self, text: str) -> DutyList:
        parts = [p for p in _PATH_SEPARATOR.split(text) if p.strip()]
        candidates = self._by_name.get(lookup_key(parts[-1]), []) if parts else []
        if len(parts) > 1:
            county = lookup_key(parts[-2])
            candidates = [c for c in candidates if lookup_key(c.county.name) == county]
        if not candidates:
            raise CellError(f"找不到清单“{text}”")
        if len(candidates) > 1:
            raise CellError(
                f"清单名称“{text}”对应{len(candidates)}个清单, 请写成“旗县名称/清单名称”"
            )
        return candidates[0]

    def label(self, duty_list: Any) -> str:
        if duty_list is None:
            return ""
        if len(self._by_name.get(lookup_key(duty_list.name), [])) > 1:
            return f"{duty_list.county.name}/{duty_list.name}"
        return str(duty_list.name)

    def options(self) -> list[str]:
        return [self.label(d) for d in self.lists]
