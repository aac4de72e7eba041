"""SPEC §1: a user of one court learns nothing about people or cases of another."""

from tests.factories import advance, file_case


def test_assigning_an_unknown_id_answers_like_another_courts_judge(people, api):
    case = advance(file_case(people.clerk), "received", bureau=people.bureau, judge=people.judge)
    client = api(people.bureau)
    url = f"/api/v1/cases/{case.pk}/transitions/assign/"
    other = client.post(url, {"judge": people.hz_judge.pk}, format="json")
    unknown = client.post(url, {"judge": 987654}, format="json")
    assert other.status_code == unknown.status_code == 400
    assert other.json() == unknown.json()
