"""The 终本 ruling (终结本次执行程序裁定书) is the document of a 终本 closure (SPEC §9, §7 [004 §24]):
only for a case closed, or being closed, as terminated_round."""

import pytest
from django.test import Client

from cases import services as case_services
from enforcement.documents import document_generate
from enforcement.errors import Conflict
from enforcement.models import Document

from .conftest import make_ready_for_termination


def browser(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_termination_ruling_is_refused_while_the_termination_conditions_are_unmet(case, people, api):
    # given: a case in progress, filed today, no query, no restriction
    # when
    with pytest.raises(Conflict) as exc:
        document_generate(case=case, kind="termination_ruling", actor=people.judge)
    # then: a stable code, and the unmet conditions named
    assert exc.value.code == "termination_ruling_not_allowed"
    assert "立案未满三个月" in exc.value.detail and "网络查控" in exc.value.detail
    r = api(people.judge).post(f"/api/v1/cases/{case.pk}/documents/", {"kind": "termination_ruling"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "termination_ruling_not_allowed"
    assert not Document.objects.exists()


def test_termination_ruling_is_refused_for_a_case_closed_otherwise(case, people, api):
    # given: the case closed by withdrawal (撤回)
    case_services.case_close(case=case, actor=people.judge, closure="withdrawn")
    # when
    r = api(people.judge).post(f"/api/v1/cases/{case.pk}/documents/", {"kind": "termination_ruling"}, format="json")
    # then
    assert r.status_code == 409 and r.json()["code"] == "termination_ruling_not_allowed"
    assert "撤回执行申请" in r.json()["detail"]
    assert not Document.objects.exists()


def test_termination_ruling_is_generated_for_a_case_being_closed_and_after_its_termination(case, people):
    # given: every 终本 condition met — the case is being closed by 终本
    make_ready_for_termination(case, people)
    # when / then: the ruling is drawn up before the closure …
    first = document_generate(case=case, kind="termination_ruling", actor=people.judge)
    # … and after it
    case_services.case_close(case=case, actor=people.judge, closure="terminated_round")
    second = document_generate(case=case, kind="termination_ruling", actor=people.judge)
    assert (first.version, second.version) == (1, 2)


def test_termination_ruling_refusal_is_a_message_in_the_browser(case, people):
    # when the judge asks for the ruling of a case not being closed by 终本
    r = browser(people.judge).post(f"/documents/cases/{case.pk}/generate/", {"kind": "termination_ruling"},
                                   follow=True)
    # then the case page tells him why, and nothing is stored
    html = r.content.decode()
    assert r.redirect_chain[-1][0] == f"/cases/{case.pk}/#documents"
    assert "不能制作终结本次执行程序裁定书" in html
    assert not Document.objects.exists()
