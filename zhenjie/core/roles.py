"""Roles a user may hold, and what each may do. Scope (which units) is applied by selectors."""

from django.db import models


class Role(models.TextChoices):
    STAFFING_OFFICE = "staffing_office", "机构编制部门(编办)"
    UNIT_OPERATOR = "unit_operator", "镇(街道)经办人"
    DEPARTMENT_OPERATOR = "department_operator", "县直部门经办人"
    LEADER = "leader", "领导(只读)"


# Who may change what inside their scope.
CAN_EDIT_PEOPLE = {Role.STAFFING_OFFICE, Role.UNIT_OPERATOR, Role.DEPARTMENT_OPERATOR}
# Quotas, transfers and the structure are set by the staffing office alone
# (编制 is approved by 机构编制部门; 中办发〔2007〕2号).
CAN_EDIT_QUOTAS = {Role.STAFFING_OFFICE}
CAN_EDIT_STRUCTURE = {Role.STAFFING_OFFICE}
