"""Schema-driven fuzzing of every operation (schemathesis), in process against the WSGI app.

The schema is the one the API serves at /api/v1/schema/. Each operation gets valid and invalid
input (the examples, coverage and fuzzing phases; a bounded, derandomized number of cases) as the
county staffing office, which may call every write. Every response must be no server error, have
a documented status code and match its documented schema.

Random ids name nothing, so on their own they would only ever reach "not found". The hooks below
also draw ids of existing objects (read from the database as each case is drawn) for the path,
for the references in request bodies and query parameters, and valid ID numbers for
registrations: the services then run for real, succeed or refuse, and their responses are
validated too. Each operation gets the records of its own register (``helpers.records_of``).
"""

import datetime as dt
from typing import Any

import pytest
import schemathesis
from django.db.models import Model
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from config.wsgi import application
from zhenjie.accounts.models import User
from zhenjie.agencies.models import Agency, Assessment, CommandTask, PersonnelMove
from zhenjie.conftest import resident_id
from zhenjie.duties.models import ConsultationRound, DutyAdmission, DutyItem, DutyList, Edition
from zhenjie.jobs.models import Job
from zhenjie.organizations.models import Division, DockingLink, Unit
from zhenjie.personnel.models import Enrolment, Person, PostAssignment
from zhenjie.powers.models import (
    Acceptance,
    DelegationBatch,
    Guidance,
    PowerCategory,
    PowerItem,
    PowerUsage,
    ResourcePledge,
)
from zhenjie.staffing.models import (
    LeadershipQuota,
    QuotaMovement,
    QuotaTransfer,
    QuotaType,
    Redistribution,
)

from .helpers import records_of, token_header

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# No schemathesis.toml is read, and the seed is fixed: the run is the same wherever it runs.
CONFIG = SchemathesisConfig.from_dict({"seed": 20261124})

# Serving the schema touches no database, so it is loaded once, when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)

MODEL_OF_PATH: dict[str, type[Model]] = {
    "divisions": Division,
    "units": Unit,
    "docking-links": DockingLink,
    "quota-types": QuotaType,
    "quota-movements": QuotaMovement,
    "redistributions": Redistribution,
    "leadership-quotas": LeadershipQuota,
    "transfers": QuotaTransfer,
    "persons": Person,
    "enrolments": Enrolment,
    "posts": PostAssignment,
    "jobs": Job,
    "power-categories": PowerCategory,
    "delegation-batches": DelegationBatch,
    "powers": PowerItem,
    "acceptances": Acceptance,
    "resource-pledges": ResourcePledge,
    "guidance": Guidance,
    "power-usages": PowerUsage,
    "duty-lists": DutyList,
    "editions": Edition,
    "duty-items": DutyItem,
    "consultation-rounds": ConsultationRound,
    "admissions": DutyAdmission,
    "agencies": Agency,
    "agency-assessments": Assessment,
    "agency-moves": PersonnelMove,
    "agency-tasks": CommandTask,
}
MODEL_OF_REFERENCE: dict[str, type[Model]] = {
    "unit": Unit,
    "parent": Unit,
    "department": Unit,
    "office": Unit,
    "county": Unit,
    "from_unit": Unit,
    "to_unit": Unit,
    "division": Division,
    "quota_type": QuotaType,
    "person": Person,
    "responsible_unit": Unit,
    "lead_department": Unit,
    "party": Unit,
    "batch": DelegationBatch,
    "agency": Agency,
    "category": PowerCategory,
    "item": PowerItem,
    "duty_list": DutyList,
    "edition": Edition,
    "based_on": Edition,
}
# Where a reference names another model than elsewhere: a reply is about an item of the list.
MODEL_OF_REFERENCE_IN_PATH: dict[str, dict[str, type[Model]]] = {
    "consultation-rounds": {"item": DutyItem},
}
# References to several objects at once.
MODELS_OF_REFERENCE: dict[str, type[Model]] = {
    "persons": Person,
    "towns": Unit,
    "units": Unit,
    "parties": Unit,
}
# Query parameters naming an object: a report's batch, the edition compared with.
MODEL_OF_QUERY: dict[str, type[Model]] = {"batch": DelegationBatch, "old": Edition}


def existing_ids(model: type[Model]) -> list[int]:
    """Every id of ``model``, in and out of the staffing office's scope (read at draw time)."""
    return list(model._default_manager.order_by("pk").values_list("pk", flat=True))


def maybe_existing(model: type[Model], generated: Any) -> st.SearchStrategy:
    ids = existing_ids(model)
    return st.one_of(st.just(generated), st.sampled_from(ids)) if ids else st.just(generated)


def register_of(context: Any) -> str:
    """The register an operation belongs to: ``/api/v1/<register>/...``."""
    return context.operation.path.split("/")[3]


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    model = MODEL_OF_PATH.get(register_of(context))
    if model is None or not isinstance(path_parameters, dict) or "id" not in path_parameters:
        return st.just(path_parameters)
    return maybe_existing(model, path_parameters["id"]).map(
        lambda pk: {**path_parameters, "id": pk}
    )


def _line(line: Any) -> st.SearchStrategy:
    if not isinstance(line, dict) or "unit" not in line:
        return st.just(line)
    return maybe_existing(Unit, line["unit"]).map(lambda pk: {**line, "unit": pk})


@schema.hook
def flatmap_query(context: Any, query: Any) -> Any:
    if not isinstance(query, dict):
        return st.just(query)
    parts: dict[str, st.SearchStrategy] = {key: st.just(value) for key, value in query.items()}
    for key, model in MODEL_OF_QUERY.items():
        if key in query:
            parts[key] = maybe_existing(model, query[key])
    return st.fixed_dictionaries(parts)


@schema.hook
def flatmap_body(context: Any, body: Any) -> Any:
    if not isinstance(body, dict):
        return st.just(body)
    parts: dict[str, st.SearchStrategy] = {key: st.just(value) for key, value in body.items()}
    references = {**MODEL_OF_REFERENCE, **MODEL_OF_REFERENCE_IN_PATH.get(register_of(context), {})}
    for key, model in references.items():
        if key in body:
            parts[key] = maybe_existing(model, body[key])
    for key, model in MODELS_OF_REFERENCE.items():
        if isinstance(body.get(key), list):
            ids = existing_ids(model)
            parts[key] = st.one_of(
                st.just(body[key]),
                st.lists(st.sampled_from(ids), max_size=3) if ids else st.nothing(),
            )
    if isinstance(body.get("lines"), list):
        parts["lines"] = st.tuples(*(_line(line) for line in body["lines"])).map(list)
    if "id_number" in body:
        parts["id_number"] = st.one_of(
            st.just(body["id_number"]),
            st.builds(
                resident_id,
                st.dates(dt.date(1950, 1, 1), dt.date(2005, 12, 31)),
                st.integers(0, 99),
                female=st.booleans(),
            ),
        )
    return st.fixed_dictionaries(parts)


@pytest.fixture
def staffing_auth(
    request: pytest.FixtureRequest, keep_db_connection: None, staffing_officer: User
) -> dict[str, str]:
    # given the operation's register with records of two towns (schemathesis labels each test
    # item with its operation, "METHOD /api/v1/<register>/...")
    request.getfixturevalue(records_of(request.node.operation_label.split("/")[3]))
    return {"Authorization": token_header(staffing_officer)}


@schema.parametrize()
@settings(
    max_examples=10,
    derandomize=True,
    database=None,
    deadline=None,
    # The database fixtures are per test (not per example), on purpose: examples build on what
    # earlier ones wrote. Drawing ids reads the database, which Hypothesis may find slow.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_conforms_to_the_schema(case: Any, staffing_auth: dict[str, str]) -> None:
    # when each operation is called with generated input, as the staffing office
    # then no response is a server error, and each has a documented status and shape
    case.call_and_validate(headers=staffing_auth, checks=CHECKS)
