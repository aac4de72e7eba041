"""Documents over the REST API (SPEC §13) and on the case page (SPEC §9): court scope (other courts
404), bad input 400, the PDF download with its Chinese file name."""

import hashlib
from urllib.parse import quote

import pytest
from django.test import Client

from enforcement.documents import document_generate
from enforcement.models import Document


@pytest.mark.smoke
def test_post_generates_a_version_and_answers_201_with_its_hash(case, people, api):
    r = api(people.judge).post(f"/api/v1/cases/{case.pk}/documents/", {"kind": "execution_notice"}, format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    doc = Document.objects.get(pk=body["id"])
    assert body["kind"] == "execution_notice" and body["version"] == 1 and body["sha256"] == doc.sha256
    again = api(people.judge).post(f"/api/v1/cases/{case.pk}/documents/", {"kind": "execution_notice",
                                                                          "subject": None}, format="json")
    assert again.status_code == 201 and again.json()["version"] == 2


def test_the_pdf_endpoint_returns_exactly_the_stored_bytes(case, people, api):
    doc = document_generate(case=case, kind="execution_notice", actor=people.judge)
    r = api(people.officer).get(f"/api/v1/documents/{doc.pk}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert hashlib.sha256(r.content).hexdigest() == doc.sha256
    assert "filename*=utf-8''" in r["Content-Disposition"]


def test_the_list_shows_every_version_newest_first_in_constant_queries(case, people, api,
                                                                        django_assert_max_num_queries):
    for _ in range(3):
        document_generate(case=case, kind="execution_notice", actor=people.judge)
    with django_assert_max_num_queries(8):
        r = api(people.judge).get(f"/api/v1/cases/{case.pk}/documents/")
    assert r.status_code == 200
    assert [d["version"] for d in r.json()["results"]] == [3, 2, 1]
    assert r.json()["results"][0]["created_by_name"] == "陈法官"


@pytest.mark.parametrize("who", ["xg_judge", "hz_judge", "hz_supervisor"])
def test_other_courts_get_404_on_list_generate_and_download(case, people, api, who):
    doc = document_generate(case=case, kind="execution_notice", actor=people.judge)
    client = api(getattr(people, who))
    assert client.get(f"/api/v1/cases/{case.pk}/documents/").status_code == 404
    assert client.post(f"/api/v1/cases/{case.pk}/documents/", {"kind": "execution_notice"},
                       format="json").status_code == 404
    assert client.get(f"/api/v1/documents/{doc.pk}/pdf/").status_code == 404
    assert Document.objects.count() == 1


def test_an_upper_court_supervisor_may_read_but_not_generate(case, people, api):
    doc = document_generate(case=case, kind="execution_notice", actor=people.judge)
    client = api(people.ha_supervisor)
    assert client.get(f"/api/v1/documents/{doc.pk}/pdf/").status_code == 200
    r = client.post(f"/api/v1/cases/{case.pk}/documents/", {"kind": "execution_notice"}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "summons"}, "kind"),
    ({}, "kind"),
    ({"kind": "payment_notice"}, "subject"),
    ({"kind": "dishonest_decision", "subject": "abc"}, "subject"),
    ({"kind": "execution_notice", "subject": 5}, "subject"),
    ({"kind": "consumption_restriction_order", "subject": 999999}, "subject"),
])
def test_bad_input_is_400_with_the_field(case, people, api, body, field):
    r = api(people.judge).post(f"/api/v1/cases/{case.pk}/documents/", body, format="json")
    assert r.status_code == 400, r.json()
    assert field in r.json()["errors"]
    assert not Document.objects.exists()


def test_a_sanction_or_disbursement_of_another_case_is_400(case, other_case, people, api, restriction,
                                                            disbursement):
    client = api(people.judge)
    url = f"/api/v1/cases/{other_case.pk}/documents/"
    r1 = client.post(url, {"kind": "consumption_restriction_order", "subject": restriction.pk}, format="json")
    r2 = client.post(url, {"kind": "payment_notice", "subject": disbursement.pk}, format="json")
    assert r1.status_code == 400 and r2.status_code == 400
    assert "subject" in r1.json()["errors"] and "subject" in r2.json()["errors"]


# --- browser ---------------------------------------------------------------------------------------

def browser(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_case_page_lists_documents_and_offers_generation(case, people, restriction):
    document_generate(case=case, kind="execution_notice", actor=people.judge)
    html = browser(people.judge).get(f"/cases/{case.pk}/").content.decode()
    assert 'id="documents"' in html and "第 1 版" in html and "下载 PDF" in html
    assert f"/documents/preview/{case.pk}/consumption_restriction_order/?subject={restriction.pk}" in html
    assert f'action="/documents/cases/{case.pk}/generate/"' in html


def test_a_clerk_sees_the_documents_but_no_generate_button(case, people):
    html = browser(people.clerk).get(f"/cases/{case.pk}/").content.decode()
    assert 'id="documents"' in html and f"/documents/cases/{case.pk}/generate/" not in html


def test_generating_in_the_browser_redirects_back_with_a_message(case, people):
    c = browser(people.judge)
    r = c.post(f"/documents/cases/{case.pk}/generate/", {"kind": "property_report_order"}, follow=True)
    assert r.redirect_chain[-1][0] == f"/cases/{case.pk}/#documents"
    assert "已生成报告财产令（第1版）" in r.content.decode()
    assert Document.objects.get().kind == "property_report_order"


def test_a_refused_generation_shows_the_reason_and_stores_nothing(case, people):
    r = browser(people.judge).post(f"/documents/cases/{case.pk}/generate/", {"kind": "payment_notice"},
                                   follow=True)
    assert "出具案款支付通知书须指定所依据的案款发放记录" in r.content.decode()
    assert not Document.objects.exists()


def test_download_sends_the_pdf_with_an_encoded_chinese_file_name(case, people):
    doc = document_generate(case=case, kind="execution_notice", actor=people.judge)
    r = browser(people.officer).get(f"/documents/{doc.pk}.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    printed = case.number.replace("(", "（").replace(")", "）")  # （2026）豫03执1号
    expected = quote(f"{printed}-执行通知书-第1版.pdf")
    assert r["Content-Disposition"].startswith("attachment;")
    assert f"filename*=utf-8''{expected}" in r["Content-Disposition"]
    assert r.content == bytes(doc.content)


def test_preview_renders_the_same_template_as_html(case, people):
    r = browser(people.clerk).get(f"/documents/preview/{case.pk}/execution_notice/")
    html = r.content.decode()
    assert r.status_code == 200 and "执行通知书" in html and case.account_no in html and "12368" in html
    assert "此为预览" in html


def test_preview_of_other_courts_is_404_and_bad_subject_is_400(case, people, restriction):
    assert browser(people.xg_judge).get(f"/documents/preview/{case.pk}/execution_notice/").status_code == 404
    assert browser(people.judge).get(f"/documents/preview/{case.pk}/nonsense/").status_code == 404
    r = browser(people.judge).get(f"/documents/preview/{case.pk}/dishonest_decision/?subject={restriction.pk}")
    assert r.status_code == 400 and "不能据以出具失信决定书" in r.content.decode()


def test_download_of_another_courts_document_is_404(case, people):
    doc = document_generate(case=case, kind="execution_notice", actor=people.judge)
    assert browser(people.hz_judge).get(f"/documents/{doc.pk}.pdf").status_code == 404
