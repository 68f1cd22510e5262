"""The OpenAPI schema, the API's docs pages and its browsable root."""

import json
import re

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

from zhenjie.api.schema import ENUM_NAME_OVERRIDES

from .helpers import AGENCY_LISTS, DUTY_LISTS, POWER_LISTS, records_of, token_client
from .test_scope import LISTS

ENFORCEMENT_LISTS = [
    "enforcement-teams",
    "certificates",
    "equipment",
    "enforcement-funding",
    "cases",
]
REGISTERS = [*LISTS, *POWER_LISTS, *DUTY_LISTS, *ENFORCEMENT_LISTS, *AGENCY_LISTS]

OPERATIONS = [
    "GET /api/v1/enforcement-teams/",
    "GET /api/v1/enforcement-teams/{id}/",
    "GET /api/v1/certificates/",
    "POST /api/v1/certificates/",
    "GET /api/v1/certificates/{id}/",
    "POST /api/v1/certificates/{id}/review/",
    "POST /api/v1/certificates/{id}/revoke/",
    "GET /api/v1/equipment/",
    "POST /api/v1/equipment/",
    "GET /api/v1/equipment/{id}/",
    "GET /api/v1/enforcement-funding/",
    "POST /api/v1/enforcement-funding/",
    "GET /api/v1/enforcement-funding/{id}/",
    "GET /api/v1/cases/",
    "POST /api/v1/cases/",
    "POST /api/v1/cases/on-spot/",
    "GET /api/v1/cases/{id}/",
    "POST /api/v1/cases/{id}/advance/",
    "POST /api/v1/cases/{id}/extend/",
    "GET /api/v1/acceptances/",
    "POST /api/v1/acceptances/",
    "GET /api/v1/acceptances/{id}/",
    "GET /api/v1/admissions/",
    "POST /api/v1/admissions/",
    "GET /api/v1/admissions/{id}/",
    "POST /api/v1/admissions/{id}/assign/",
    "POST /api/v1/admissions/{id}/opinions/",
    "POST /api/v1/admissions/{id}/submit/",
    "POST /api/v1/auth/token/",
    "GET /api/v1/consultation-rounds/",
    "POST /api/v1/consultation-rounds/",
    "GET /api/v1/consultation-rounds/{id}/",
    "POST /api/v1/consultation-rounds/{id}/meetings/",
    "POST /api/v1/consultation-rounds/{id}/replies/",
    "GET /api/v1/delegation-batches/",
    "POST /api/v1/delegation-batches/",
    "GET /api/v1/delegation-batches/{id}/",
    "GET /api/v1/divisions/",
    "GET /api/v1/divisions/{id}/",
    "GET /api/v1/docking-links/",
    "POST /api/v1/docking-links/",
    "GET /api/v1/docking-links/{id}/",
    "DELETE /api/v1/docking-links/{id}/",
    "GET /api/v1/duty-items/",
    "POST /api/v1/duty-items/",
    "GET /api/v1/duty-items/{id}/",
    "PATCH /api/v1/duty-items/{id}/",
    "GET /api/v1/duty-lists/",
    "POST /api/v1/duty-lists/",
    "GET /api/v1/duty-lists/{id}/",
    "GET /api/v1/editions/",
    "POST /api/v1/editions/",
    "GET /api/v1/editions/{id}/",
    "GET /api/v1/editions/{id}/compare/",
    "POST /api/v1/editions/{id}/transition/",
    "GET /api/v1/enrolments/",
    "POST /api/v1/enrolments/",
    "GET /api/v1/enrolments/{id}/",
    "POST /api/v1/enrolments/{id}/exit/",
    "GET /api/v1/guidance/",
    "POST /api/v1/guidance/",
    "GET /api/v1/guidance/{id}/",
    "GET /api/v1/jobs/",
    "GET /api/v1/jobs/{id}/",
    "GET /api/v1/leadership-quotas/",
    "POST /api/v1/leadership-quotas/",
    "GET /api/v1/leadership-quotas/{id}/",
    "GET /api/v1/persons/",
    "POST /api/v1/persons/",
    "GET /api/v1/persons/{id}/",
    "PATCH /api/v1/persons/{id}/",
    "GET /api/v1/posts/",
    "POST /api/v1/posts/",
    "GET /api/v1/posts/{id}/",
    "POST /api/v1/posts/{id}/end/",
    "GET /api/v1/power-categories/",
    "GET /api/v1/power-categories/{id}/",
    "GET /api/v1/power-usages/",
    "POST /api/v1/power-usages/",
    "GET /api/v1/power-usages/{id}/",
    "GET /api/v1/powers/",
    "POST /api/v1/powers/",
    "GET /api/v1/powers/follow-through/",
    "GET /api/v1/powers/matrix/",
    "GET /api/v1/powers/{id}/",
    "GET /api/v1/quota-movements/",
    "POST /api/v1/quota-movements/",
    "GET /api/v1/quota-movements/{id}/",
    "GET /api/v1/quota-types/",
    "GET /api/v1/quota-types/{id}/",
    "GET /api/v1/redistributions/",
    "POST /api/v1/redistributions/",
    "GET /api/v1/redistributions/{id}/",
    "GET /api/v1/resource-pledges/",
    "POST /api/v1/resource-pledges/",
    "GET /api/v1/resource-pledges/{id}/",
    "GET /api/v1/transfers/",
    "POST /api/v1/transfers/",
    "GET /api/v1/transfers/{id}/",
    "GET /api/v1/units/",
    "POST /api/v1/units/",
    "GET /api/v1/units/{id}/",
    "PATCH /api/v1/units/{id}/",
    "POST /api/v1/units/{id}/abolish/",
    "GET /api/v1/agencies/",
    "POST /api/v1/agencies/",
    "GET /api/v1/agencies/results/",
    "GET /api/v1/agencies/{id}/",
    "GET /api/v1/agency-assessments/",
    "POST /api/v1/agency-assessments/",
    "GET /api/v1/agency-assessments/{id}/",
    "GET /api/v1/agency-moves/",
    "POST /api/v1/agency-moves/",
    "GET /api/v1/agency-moves/{id}/",
    "POST /api/v1/agency-moves/{id}/decide/",
    "POST /api/v1/agency-moves/{id}/opinion/",
    "POST /api/v1/agency-moves/{id}/withdraw/",
    "GET /api/v1/agency-tasks/",
    "POST /api/v1/agency-tasks/",
    "GET /api/v1/agency-tasks/{id}/",
    "POST /api/v1/agency-tasks/{id}/close/",
]


def operations(schema: dict) -> list[str]:
    return [f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops]


def test_schema_generates_without_warnings_and_is_valid(tmp_path):
    # given the schema command as CI runs it
    # (--api-version: with NamespaceVersioning and no DEFAULT_VERSION the command would skip every
    # versioned view and pass on an empty schema; --custom-settings: the API's enum names, until
    # SPECTACULAR_SETTINGS carries them)
    target = tmp_path / "schema.yaml"

    # when it runs, failing on any warning and validating the result
    call_command(
        "spectacular",
        "--fail-on-warn",
        "--validate",
        "--api-version",
        "v1",
        "--custom-settings",
        "zhenjie.api.schema.SCHEMA_SETTINGS",
        "--file",
        str(target),
    )

    # then it describes every operation of the API, and no other
    schema = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert sorted(operations(schema)) == sorted(OPERATIONS)


def test_schema_is_served_to_clients(db):
    # when the schema is fetched as JSON
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    # then it is the OpenAPI 3 description of every operation, errors documented
    schema = json.loads(response.content)
    assert response.status_code == 200
    assert schema["info"]["title"] == "镇街 zhenjie API"
    assert sorted(operations(schema)) == sorted(OPERATIONS)
    assert set(schema["paths"]["/api/v1/persons/{id}/"]["patch"]["responses"]) == {
        "200",
        "400",
        "403",
        "404",
    }
    # every choice set has its stable name (none was named after a hash of its values)
    enums = sorted(name for name in schema["components"]["schemas"] if name.endswith("Enum"))
    assert enums == sorted([*ENUM_NAME_OVERRIDES, "BlankEnum"])


@pytest.mark.parametrize(
    ("url", "asset"),
    [("/api/v1/docs/", "swagger-ui-bundle.js"), ("/api/v1/redoc/", "redoc.standalone.js")],
    ids=["swagger", "redoc"],
)
def test_docs_pages_use_local_assets(client, url, asset):
    # when the docs page is opened
    response = client.get(url)

    # then it loads its viewer from the sidecar's static files, never from a CDN
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(rf'/static/drf_spectacular_sidecar/[^"\']*{re.escape(asset)}', html)
    assert "/api/v1/schema/" in html
    assert not re.search(r"https?://(?!127\.0\.0\.1|localhost|testserver)", html)


def test_api_root_lists_every_register(staffing_officer):
    # when the API root is opened with a token
    response = token_client(staffing_officer).get("/api/v1/")

    # then it links every register
    assert response.status_code == 200
    assert response.json() == {name: f"http://testserver/api/v1/{name}/" for name in REGISTERS}


@pytest.mark.parametrize("name", REGISTERS)
def test_browsable_api_renders_every_register(request, staffing_officer, client, name):
    # given the staffing office logged in to the site, and records of the register
    request.getfixturevalue(records_of(name))
    client.force_login(staffing_officer)

    # when a register's list is opened in a browser
    response = client.get(f"/api/v1/{name}/", HTTP_ACCEPT="text/html")

    # then the browsable API page renders
    assert response.status_code == 200
    assert "<!DOCTYPE html>" in response.content.decode()


def test_the_settings_enum_names_match_the_api_module():
    # The settings copy and the module's dict must not drift apart.
    from django.conf import settings

    from zhenjie.api.schema import ENUM_NAME_OVERRIDES

    assert settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] == ENUM_NAME_OVERRIDES
