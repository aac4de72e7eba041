"""Issue 13, item 7: every operation of the published OpenAPI schema, called with a few generated
requests as two roles, answers no 5xx, only statuses it documents, and bodies that match its schema.

The schema is read from the application itself (``/api/v1/schema/`` through WSGI, no server); each
operation gets ``MAX_EXAMPLES`` derandomized examples per role, against a Luoyang case in progress
(about half the generated paths with an ``{id}`` name that case). The counts are printed for the note.
"""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from cases.models import CaseStatus
from deadlines.calendar_services import calendar_seed_national
from deadlines.services import rulesets_seed
from tests.factories import advance, file_case

MAX_EXAMPLES = 3
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture
def wsgi_app(settings):
    """The project's WSGI application, on the test's database connection: like Django's test client,
    requests must not close the connection the test transaction lives on."""
    settings.ALLOWED_HOSTS = ["*"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(people):
    calendar_seed_national()
    rulesets_seed()
    case = advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)
    return case


def _run_operation(op, headers: dict, keep_token, case_id: int) -> tuple[int, list[str]]:
    examples, failures = 0, []

    @hypothesis.settings(max_examples=MAX_EXAMPLES, derandomize=True, database=None, deadline=None,
                         phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(case=op.as_strategy(), real=st.booleans())
    def run(case, real):
        nonlocal examples
        examples += 1
        if real and case.path_parameters and "id" in case.path_parameters:
            # Now and then the path names the real case, so its reads and writes reach the services.
            case.path_parameters["id"] = case_id
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except BaseExceptionGroup as exc:  # every failure of every operation is reported, not only the first
            failures.append(f"{op.method.upper()} {op.path}: {exc}")
        finally:
            keep_token()  # POST /auth/logout/ revokes it: the next example runs authenticated again

    run()
    return examples, failures


@pytest.mark.django_db(transaction=False)
def test_every_operation_answers_its_schema_as_a_judge_and_as_a_bureau_head(people, world, wsgi_app):
    app = wsgi_app
    failures: list[str] = []
    operations = examples = 0
    for user in (people.judge, people.head):
        token = Token.objects.create(user=user)
        headers = {"Authorization": f"Token {token.key}"}

        def keep_token(user=user, key=token.key):
            Token.objects.get_or_create(key=key, defaults={"user": user})

        schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app, headers=headers)
        for result in schema.get_all_operations():
            op = result.ok()
            n, failed = _run_operation(op, headers, keep_token, world.pk)
            operations += 1
            examples += n
            failures += failed
    print(f"\nschemathesis: {operations} operation runs (2 roles), {examples} examples, {len(failures)} failures")
    assert operations >= 2 * 100
    assert not failures, "\n".join(dict.fromkeys(failures))
