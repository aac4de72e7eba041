"""`manage.py loaddemo` (SPEC §13 "Demo data")."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Case, CaseKind, CaseStatus, Closure, Party, PartyKind
from cases.validators import is_valid_resident_id, is_valid_uscc
from enforcement.models import AuditEvent, Court, CourtLevel, Role, User, UserRole

pytestmark = [pytest.mark.smoke, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def dev_settings(settings):
    settings.DEBUG = True  # loaddemo is a development tool; the test runner forces DEBUG off
    settings.DEMO_PASSWORD = "demo"
    # The demo cast is 17 users; the fast hasher keeps PBKDF2 out of the test's run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


def loaddemo(*args: str) -> str:
    out = StringIO()
    call_command("loaddemo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Court, User, UserRole, Case, Party, AuditEvent)}


def test_loaddemo_builds_the_court_tree_from_supreme_court_down_to_xigong_and_hangzhou():
    # when
    loaddemo()

    # then
    tree = {c.code: (c.name, c.level, c.parent.code if c.parent else None) for c in Court.objects.all()}
    assert tree == {
        "最高法": ("最高人民法院", CourtLevel.SUPREME, None),
        "豫": ("河南省高级人民法院", CourtLevel.HIGH, "最高法"),
        "豫03": ("洛阳市中级人民法院", CourtLevel.INTERMEDIATE, "豫"),
        "豫0303": ("洛阳市西工区人民法院", CourtLevel.BASIC, "豫03"),
        "浙": ("浙江省高级人民法院", CourtLevel.HIGH, "最高法"),
        "浙01": ("杭州市中级人民法院", CourtLevel.INTERMEDIATE, "浙"),
    }
    xigong = Court.objects.get(code="豫0303")
    assert [c.code for c in xigong.ancestors()] == ["最高法", "豫", "豫03"]


def test_loaddemo_creates_the_demo_cast_at_their_courts_with_their_roles():
    # when
    loaddemo()

    # then
    cast = {
        u.username: (u.court.code if u.court else None, set(u.roles))
        for u in User.objects.select_related("court")
    }
    assert cast["ly_clerk"] == ("豫03", {Role.FILING_CLERK})
    assert cast["ly_bureau"] == ("豫03", {Role.BUREAU_CLERK})
    assert cast["ly_judge"] == ("豫03", {Role.POST_JUDGE})
    assert cast["ly_judge2"] == ("豫03", {Role.POST_JUDGE})
    assert cast["ly_officer"] == ("豫03", {Role.OFFICER})
    assert cast["ly_finance"] == ("豫03", {Role.FINANCE})
    assert cast["ly_supervisor"] == ("豫03", {Role.SUPERVISOR})
    assert cast["ly_head"] == ("豫03", {Role.BUREAU_HEAD})
    assert cast["xg_judge"] == ("豫0303", {Role.POST_JUDGE})
    assert cast["hz_judge"] == ("浙01", {Role.POST_JUDGE})
    assert cast["hz_supervisor"] == ("浙01", {Role.SUPERVISOR})
    assert cast["ha_supervisor"] == ("豫", {Role.SUPERVISOR})
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.roles == {Role.ADMIN}
    assert all(u.name for u in User.objects.all()), "every demo user has a Chinese name"


def test_demo_users_log_in_with_the_demo_password(rf):
    # given
    loaddemo()

    # when / then
    for username in ("ly_judge", "xg_judge", "hz_supervisor", "ha_supervisor", "admin"):
        assert authenticate(rf.get("/"), username=username, password="demo") is not None, username
    assert authenticate(rf.get("/"), username="ly_judge", password="wrong") is None


def test_demo_password_is_taken_from_the_DEMO_PASSWORD_setting(rf, settings):
    # given
    settings.DEMO_PASSWORD = "Luoyang-2026"

    # when
    loaddemo()

    # then
    assert authenticate(rf.get("/"), username="ly_clerk", password="Luoyang-2026") is not None
    assert authenticate(rf.get("/"), username="ly_clerk", password="demo") is None


def test_running_loaddemo_twice_changes_nothing():
    # given
    loaddemo()
    before = counts()

    # when
    out = loaddemo()

    # then
    assert counts() == before
    assert "未作改动" in out


def test_loaddemo_refuses_to_create_demo_users_when_debug_is_off(settings):
    # given
    settings.DEBUG = False

    # when / then
    with pytest.raises(CommandError, match="--force"):
        loaddemo()
    assert not User.objects.exists()


def test_loaddemo_with_force_loads_even_when_debug_is_off(settings):
    # given
    settings.DEBUG = False

    # when
    loaddemo("--force")

    # then
    assert User.objects.filter(username="ly_judge").exists()


def test_demo_cases_cover_every_state_and_closure_at_all_three_courts():
    # when
    loaddemo()

    # then
    cases = Case.objects.select_related("court")
    assert 30 <= cases.count() <= 45
    assert {c.status for c in cases} == set(CaseStatus.values)
    assert {c.closure for c in cases if c.status == CaseStatus.CLOSED} == set(Closure.values)
    assert {c.court.code for c in cases} == {"豫03", "豫0303", "浙01"}
    restored = cases.filter(kind=CaseKind.RESTORED)
    assert restored.count() >= 1
    assert all(c.restored_from.closure == Closure.TERMINATED_ROUND for c in restored)


def test_ly_judge_has_cases_waiting_for_acceptance_and_cases_in_progress():
    # when
    loaddemo()

    # then
    judge = User.objects.get(username="ly_judge")
    mine = Case.objects.filter(judge=judge)
    assert mine.filter(status=CaseStatus.RECEIVED).count() >= 3
    assert mine.filter(status=CaseStatus.IN_PROGRESS).count() >= 3


def test_demo_cases_were_filed_over_the_past_months_and_never_in_the_future():
    # when
    loaddemo()

    # then
    filed = sorted(Case.objects.filter(kind=CaseKind.FIRST).values_list("filed_at", flat=True))
    assert (filed[-1] - filed[0]).days > 180
    events = AuditEvent.objects.filter(case_id__isnull=False)
    assert all(e.occurred_at <= e.recorded_at for e in events)
    # case numbers follow the filing order within each court (a case taken up from a court below is
    # numbered when it arrives, SPEC §11)
    for code in ("豫03", "豫0303", "浙01"):
        seqs = list(Case.objects.filter(court__code=code, kind=CaseKind.FIRST, transfers__isnull=True)
                    .order_by("filed_at")
                    .values_list("seq", flat=True))
        assert seqs == sorted(seqs), code


def test_demo_parties_carry_valid_identity_numbers():
    # when
    loaddemo()

    # then
    parties = list(Party.objects.all())
    assert parties
    for p in parties:
        valid = is_valid_resident_id(p.id_number) if p.kind == PartyKind.PERSON else is_valid_uscc(p.id_number)
        assert valid, (p.name, p.id_number)


def test_every_demo_act_is_in_the_audit_trail_and_the_chains_verify():
    # given
    loaddemo()

    # when
    out = StringIO()
    call_command("verify_audit", stdout=out)

    # then
    assert AuditEvent.objects.filter(action="case.file").count() == Case.objects.count()
    assert AuditEvent.objects.filter(action="case.close").count() == Case.objects.filter(
        status=CaseStatus.CLOSED).count()
    assert "未发现篡改" in out.getvalue()


def test_demo_has_a_replayed_rule_draft_for_luoyang():
    from deadlines.models import RuleDraft, RunStatus

    loaddemo()
    draft = RuleDraft.objects.get(court__code="豫03")
    assert draft.run_status == RunStatus.DONE
    (node,) = draft.report["by_node"]
    assert node["node"] == "QUERY_START" and node["deadlines"] > 0
    loaddemo()
    assert RuleDraft.objects.count() == 1


def test_demo_cases_carry_query_codes_party_messages_and_complaints():
    from cases.models import Complaint, PartyMessage

    loaddemo()
    assert not Case.objects.filter(query_code="").exists()
    assert PartyMessage.objects.filter(event="filed").count() >= Case.objects.count()
    # 陈静 v 黄勇: one complaint answered by the judge, one referred to the collegial panel
    statuses = sorted(Complaint.objects.filter(case__basis="（2025）豫03民初1309号民事调解书")
                      .values_list("status", flat=True))
    assert statuses == ["answered", "referred"]
    assert PartyMessage.objects.filter(event="complaint_answered").count() == 1


def test_the_demo_has_one_of_each_coordination_act_in_a_realistic_state():
    from cases.models import CaseTransfer, Delegation, Dispute, SupervisionOrder

    # when (twice: idempotent)
    loaddemo()
    loaddemo()

    # then 河南高院's order on a 西工区 case waits for its overdue reply (SPEC §11, [004 §28])
    order = SupervisionOrder.objects.get()
    assert (order.court.code, order.case.court.code, order.status) == ("豫", "豫0303", "issued")
    # and a 西工区 case was taken up by 洛阳中院, which assigned it a judge
    transfer = CaseTransfer.objects.get()
    assert (transfer.from_court.code, transfer.to_court.code, transfer.kind) == ("豫0303", "豫03", "take_up")
    assert transfer.case.judge.username == "ly_judge2"
    # and a dispute of 洛阳中院 with 西工区法院 awaits 河南高院, the case limit stopped meanwhile
    dispute = Dispute.objects.get()
    assert (dispute.upper_court.code, dispute.status, dispute.limit_stop.is_open) == ("豫", "reported", True)
    # and 杭州中院 has accepted 洛阳中院's task and named hz_judge
    delegation = Delegation.objects.get()
    assert (delegation.to_court.code, delegation.status, delegation.handler.username) == ("浙01", "accepted",
                                                                                         "hz_judge")
