"""The OpenAPI description of the API: error responses and stable enum names."""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

VALIDATION_ERROR = {
    "type": "object",
    "description": (
        "输入有误(400): 字段名 → 错误信息列表(中文), 不属于某一字段的错误在 non_field_errors 下; "
        "嵌套字段(如 lines)的错误按位置给出; 请求体无法解析时为 detail"
    ),
    "additionalProperties": {
        "anyOf": [{"type": "array", "items": {}}, {"type": "object"}, {"type": "string"}]
    },
}
DETAIL_ERROR = {
    "type": "object",
    "description": "未登录、无权操作(403)或对象不存在、不在权限范围内(404)",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}

# Every choice set the API exposes, named once, so drf-spectacular never has to guess a name for
# two choice sets sharing a field name ("kind", "level", "nature"). Dotted paths only, so the dict
# can be copied as is into SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].
ENUM_NAME_OVERRIDES = {
    "DivisionLevelEnum": "zhenjie.organizations.choices.DivisionLevel",
    "UnitKindEnum": "zhenjie.organizations.choices.UnitKind",
    "UnitNatureEnum": "zhenjie.organizations.choices.UnitNature",
    "UnitRankEnum": "zhenjie.organizations.choices.UnitRank",
    "QuotaNatureEnum": "zhenjie.api.serializers.QUOTA_NATURES",
    "MovementKindEnum": "zhenjie.staffing.choices.MovementKind",
    "DirectMovementKindEnum": "zhenjie.api.serializers.DIRECT_MOVEMENT_KINDS",
    "LeadershipLevelEnum": "zhenjie.staffing.choices.LeadershipLevel",
    "GenderEnum": "zhenjie.personnel.choices.Gender",
    "EducationEnum": "zhenjie.personnel.choices.Education",
    "PoliticalStatusEnum": "zhenjie.personnel.choices.PoliticalStatus",
    "EntryChannelEnum": "zhenjie.personnel.choices.EntryChannel",
    "ExitReasonEnum": "zhenjie.personnel.choices.ExitReason",
    "OfficerExitReasonEnum": "zhenjie.api.serializers.OFFICER_EXIT_REASONS",
    "PostKindEnum": "zhenjie.personnel.choices.PostKind",
    "JobStatusEnum": "zhenjie.jobs.models.JobStatus",
    "DelegationModeEnum": "zhenjie.powers.choices.DelegationMode",
    "GranteeEnum": "zhenjie.powers.choices.Grantee",
    "AcceptanceStatusEnum": "zhenjie.powers.choices.AcceptanceStatus",
    "GuidanceKindEnum": "zhenjie.powers.choices.GuidanceKind",
    "ListKindEnum": "zhenjie.duties.choices.ListKind",
    "EditionStatusEnum": "zhenjie.duties.choices.EditionStatus",
    "DutyClassEnum": "zhenjie.duties.choices.DutyClass",
    "MeetingKindEnum": "zhenjie.duties.choices.MeetingKind",
    "MatterTypeEnum": "zhenjie.duties.choices.MatterType",
    "AdmissionStatusEnum": "zhenjie.duties.choices.AdmissionStatus",
    "StageEnum": "zhenjie.enforcement.choices.Stage",
    "ProcedureEnum": "zhenjie.enforcement.choices.Procedure",
    "PartyKindEnum": "zhenjie.enforcement.choices.PartyKind",
    "DecisionKindEnum": "zhenjie.enforcement.choices.DecisionKind",
    "PenaltyKindEnum": "zhenjie.enforcement.choices.PenaltyKind",
    "OnSpotPenaltyKindEnum": "zhenjie.api.serializers_enforcement.ON_SPOT_PENALTY_KINDS",
    "AssessmentPartyEnum": "zhenjie.agencies.choices.AssessmentParty",
    "MoveKindEnum": "zhenjie.agencies.choices.MoveKind",
    "MoveStatusEnum": "zhenjie.agencies.choices.MoveStatus",
    "MoveDecisionEnum": "zhenjie.agencies.choices.MoveDecision",
    "TaskOutcomeEnum": "zhenjie.agencies.choices.TaskOutcome",
}


# drf-spectacular settings of this API, applied by its schema view and by
# ``manage.py spectacular --custom-settings zhenjie.api.schema.SCHEMA_SETTINGS``.
SCHEMA_SETTINGS: dict[str, Any] = {"ENUM_NAME_OVERRIDES": ENUM_NAME_OVERRIDES}


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, plus the error responses each operation can give.

    400: any write, lists (a filter value that does not parse) and any other read taking query
    parameters (a report's ``?batch=``); 403: any view that needs a login (SessionAuthentication
    comes first, so an anonymous request is 403, never 401); 404: a path naming an object, and
    lists (a page that does not exist).
    """

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        is_list = getattr(self.view, "action", None) == "list"
        takes_query = any(param["in"] == "query" for param in self._get_parameters())
        codes = []
        if self.method in ("POST", "PUT", "PATCH") or is_list or takes_query:
            codes.append(("400", "ValidationError", VALIDATION_ERROR, "输入有误"))
        if getattr(self.view, "permission_classes", None):
            codes.append(("403", "ErrorDetail", DETAIL_ERROR, "未登录或无权操作"))
        if "{" in self.path or is_list:
            codes.append(("404", "ErrorDetail", DETAIL_ERROR, "不存在或不在您的权限范围内"))
        for code, name, schema, description in codes:
            component = ResolvedComponent(
                name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name
            )
            self.registry.register_on_missing(component)
            responses.setdefault(
                code,
                {
                    "description": description,
                    "content": {"application/json": {"schema": component.ref}},
                },
            )
        return responses
