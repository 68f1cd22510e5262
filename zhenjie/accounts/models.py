"""User accounts with a role and the unit whose subtree they work in."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from zhenjie.core.roles import CAN_EDIT_PEOPLE, CAN_EDIT_QUOTAS, CAN_EDIT_STRUCTURE, Role


class User(AbstractUser):
    """A person who logs in; their role decides what they may do, their unit where."""

    role = models.CharField("角色", max_length=30, choices=Role.choices, default=Role.LEADER)
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="所属机构(权限范围)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                name="user_has_unit_unless_superuser",
                condition=Q(is_superuser=True) | Q(unit__isnull=False),
                violation_error_message="非超级管理员必须指定所属机构",
            )
        ]

    @property
    def may_edit_people(self) -> bool:
        return self.is_superuser or self.role in CAN_EDIT_PEOPLE

    @property
    def may_edit_quotas(self) -> bool:
        return self.is_superuser or self.role in CAN_EDIT_QUOTAS

    @property
    def may_edit_structure(self) -> bool:
        return self.is_superuser or self.role in CAN_EDIT_STRUCTURE
