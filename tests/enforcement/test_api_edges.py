"""The API contract's edges (SPEC §13 Errors, §10): unknown paths answer JSON 404 with a code;
personal ID numbers and phone numbers are masked on every list, full only on the case's own detail
to its own court."""

import pytest

from enforcement import privacy
from tests.factories import PERSON_ID, file_case

MASKED_ID = "4103**********0019"
PHONE, MASKED_PHONE = "13800138000", "138****8000"


@pytest.mark.parametrize("method", ["get", "post", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/v1/cases/1/nonsense/", "/api/v1/x"])
def test_an_unknown_api_path_answers_json_404_with_a_code(people, api, method, path):
    for client in (api(people.judge), api()):
        r = getattr(client, method)(path)
        assert r.status_code == 404
        assert r["Content-Type"].startswith("application/json")
        assert r.json()["code"] == "not_found" and r.json()["detail"]


def test_the_kernel_masks_id_numbers_and_phones():
    assert privacy.mask_id_number(PERSON_ID) == MASKED_ID
    assert privacy.mask_phone(PHONE) == MASKED_PHONE
    assert privacy.mask_id_number("") == "" and privacy.mask_phone("") == ""
    assert privacy.mask_persons([{"name": "张三", "id_number": PERSON_ID}])[0]["id_number"] == MASKED_ID


def _respondent(payload):
    return next(p for p in payload["parties"] if p["role"] == "respondent")


def test_the_case_list_masks_id_numbers_and_phones(people, api):
    file_case(people.clerk)
    rows = api(people.judge).get("/api/v1/cases/").json()["results"]
    p = _respondent(rows[0])
    assert (p["id_number"], p["phone"]) == (MASKED_ID, MASKED_PHONE)


def test_the_cases_own_detail_shows_full_numbers_to_its_own_court_only(people, api):
    case = file_case(people.clerk)
    p = _respondent(api(people.judge).get(f"/api/v1/cases/{case.pk}/").json())
    assert (p["id_number"], p["phone"]) == (PERSON_ID, PHONE)
    # an upper court's supervisor sees the case, not its parties' full numbers
    p = _respondent(api(people.ha_supervisor).get(f"/api/v1/cases/{case.pk}/").json())
    assert (p["id_number"], p["phone"]) == (MASKED_ID, MASKED_PHONE)


def test_the_case_list_page_shows_no_full_id_number_or_phone(people, client):
    file_case(people.clerk)
    client.force_login(people.judge)
    html = client.get("/cases/").content.decode()
    assert PERSON_ID not in html and PHONE not in html
