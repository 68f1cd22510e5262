"""Fixed choice sets of the organizations app."""

from django.db import models


class DivisionLevel(models.TextChoices):
    """Level of an administrative division (行政区划)."""

    PROVINCE = "province", "省级"
    PREFECTURE = "prefecture", "地级(盟、市)"
    COUNTY = "county", "县级(旗、县、市、区)"
    STREET = "street", "街道"
    TOWN = "town", "镇"
    TOWNSHIP = "township", "乡、苏木"


# GB/T 10114: the 3-digit township segment of a 9-digit code.
TOWNSHIP_SEGMENTS: dict[str, tuple[int, int]] = {
    DivisionLevel.STREET: (1, 99),
    DivisionLevel.TOWN: (100, 199),
    DivisionLevel.TOWNSHIP: (200, 399),
}

CODE_LENGTHS: dict[str, int] = {
    DivisionLevel.PROVINCE: 2,
    DivisionLevel.PREFECTURE: 4,
    DivisionLevel.COUNTY: 6,
    DivisionLevel.STREET: 9,
    DivisionLevel.TOWN: 9,
    DivisionLevel.TOWNSHIP: 9,
}

PARENT_LEVEL: dict[str, str | None] = {
    DivisionLevel.PROVINCE: None,
    DivisionLevel.PREFECTURE: DivisionLevel.PROVINCE,
    DivisionLevel.COUNTY: DivisionLevel.PREFECTURE,
    DivisionLevel.STREET: DivisionLevel.COUNTY,
    DivisionLevel.TOWN: DivisionLevel.COUNTY,
    DivisionLevel.TOWNSHIP: DivisionLevel.COUNTY,
}


class UnitNature(models.TextChoices):
    """Nature of a unit, which decides the quota types it may hold."""

    ORGAN = "organ", "党政机关"
    INSTITUTION = "institution", "事业单位"
    INTERNAL = "internal", "内设机构"


class UnitKind(models.TextChoices):
    """Kind of unit (机构类别)."""

    PROVINCE = "province", "省级党委政府"
    PREFECTURE = "prefecture", "盟市党委政府"
    COUNTY = "county", "旗县(市、区)党委政府"
    DEPARTMENT = "department", "县直部门"
    TOWN = "town", "镇"
    STREET = "street", "街道"
    TOWNSHIP = "township", "乡、苏木"
    OFFICE = "office", "办(内设党政机构)"
    CENTER = "center", "中心(事业单位)"
    ENFORCEMENT_BUREAU = "enforcement_bureau", "综合行政执法局"
    DISPATCHED_AGENCY = "dispatched_agency", "派出机构"
    STATION = "station", "站所(事业单位)"
    INSTITUTION = "institution", "其他事业单位"


UNIT_NATURE: dict[str, str] = {
    UnitKind.PROVINCE: UnitNature.ORGAN,
    UnitKind.PREFECTURE: UnitNature.ORGAN,
    UnitKind.COUNTY: UnitNature.ORGAN,
    UnitKind.DEPARTMENT: UnitNature.ORGAN,
    UnitKind.TOWN: UnitNature.ORGAN,
    UnitKind.STREET: UnitNature.ORGAN,
    UnitKind.TOWNSHIP: UnitNature.ORGAN,
    UnitKind.OFFICE: UnitNature.INTERNAL,
    UnitKind.CENTER: UnitNature.INSTITUTION,
    UnitKind.ENFORCEMENT_BUREAU: UnitNature.INSTITUTION,
    UnitKind.DISPATCHED_AGENCY: UnitNature.ORGAN,
    UnitKind.STATION: UnitNature.INSTITUTION,
    UnitKind.INSTITUTION: UnitNature.INSTITUTION,
}

# Which kinds a unit of each kind may be placed under.
ALLOWED_PARENT_KINDS: dict[str, set[str]] = {
    UnitKind.PROVINCE: set(),
    UnitKind.PREFECTURE: {UnitKind.PROVINCE},
    UnitKind.COUNTY: {UnitKind.PREFECTURE},
    UnitKind.DEPARTMENT: {UnitKind.COUNTY},
    UnitKind.TOWN: {UnitKind.COUNTY},
    UnitKind.STREET: {UnitKind.COUNTY},
    UnitKind.TOWNSHIP: {UnitKind.COUNTY},
    UnitKind.OFFICE: {UnitKind.TOWN, UnitKind.STREET, UnitKind.TOWNSHIP},
    UnitKind.CENTER: {UnitKind.TOWN, UnitKind.STREET, UnitKind.TOWNSHIP},
    UnitKind.ENFORCEMENT_BUREAU: {UnitKind.TOWN, UnitKind.STREET, UnitKind.TOWNSHIP},
    UnitKind.DISPATCHED_AGENCY: {UnitKind.TOWN, UnitKind.STREET, UnitKind.TOWNSHIP},
    UnitKind.STATION: {UnitKind.DEPARTMENT, UnitKind.TOWN, UnitKind.TOWNSHIP},
    UnitKind.INSTITUTION: {UnitKind.COUNTY, UnitKind.DEPARTMENT},
}

# The kind of division a unit of a given kind must be tied to.
DIVISION_LEVEL_OF_KIND: dict[str, str] = {
    UnitKind.PROVINCE: DivisionLevel.PROVINCE,
    UnitKind.PREFECTURE: DivisionLevel.PREFECTURE,
    UnitKind.COUNTY: DivisionLevel.COUNTY,
    UnitKind.TOWN: DivisionLevel.TOWN,
    UnitKind.STREET: DivisionLevel.STREET,
    UnitKind.TOWNSHIP: DivisionLevel.TOWNSHIP,
}

BASE_LEVEL_KINDS = {UnitKind.TOWN, UnitKind.STREET, UnitKind.TOWNSHIP}


class UnitRank(models.TextChoices):
    """Rank (机构规格)."""

    NONE = "", "未定"
    BUREAU = "bureau", "正处级"
    SECTION = "section", "正科级"
    DEPUTY_SECTION = "deputy_section", "副科级"
    EQUIV_DEPUTY_SECTION = "equiv_deputy_section", "相当于副科级"
    UNIT = "unit", "股级"
