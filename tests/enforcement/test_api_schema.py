"""The OpenAPI 3 schema (SPEC §13) is served and generates without warnings."""

from __future__ import annotations

from io import StringIO

import pytest
import yaml
from django.core.management import call_command


@pytest.mark.smoke
def test_the_schema_is_served(people, api):
    # when
    r = api(people.judge).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    # then
    assert r.status_code == 200
    schema = r.json()
    assert schema["openapi"].startswith("3.")
    for path in ["/api/v1/cases/", "/api/v1/cases/{id}/", "/api/v1/cases/{id}/transitions/{name}/",
                 "/api/v1/cases/{id}/events/", "/api/v1/auth/token/", "/api/v1/me/", "/api/v1/users/",
                 "/api/v1/courts/"]:
        assert path in schema["paths"], path


def test_the_schema_validates_without_warnings(db):
    # given
    out = StringIO()
    # when: --fail-on-warn turns any generator warning into a failure
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=StringIO())
    # then
    schema = yaml.safe_load(out.getvalue())
    assert schema["info"]["title"] == "执行案件管理系统 API"
    assert "/api/v1/approvals/" in schema["paths"]
    assert "/api/v1/approvals/{id}/transitions/{name}/" in schema["paths"]
