"""The audit vocabulary is one catalogue (SPEC §12; STYLE): every kind a service records has a
Chinese label, and its line says what happened with the amounts and names that matter."""

import ast
from pathlib import Path

import pytest

from enforcement.audit import events

ROOT = Path(__file__).resolve().parents[2]
APPS = ("cases", "credit", "deadlines", "enforcement", "funds")


def _recorded_actions() -> list[tuple[str, int, ast.expr]]:
    out = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                name = getattr(node.func, "id", getattr(node.func, "attr", "")) if isinstance(node, ast.Call) else ""
                if isinstance(node, ast.Call) and name == "audit_record":
                    for kw in node.keywords:
                        if kw.arg == "action":
                            out.append((str(path.relative_to(ROOT)), node.lineno, kw.value))
    return out


def test_every_recorded_kind_has_a_chinese_label():
    missing = [f"{p}:{line} {v.value}" for p, line, v in _recorded_actions()
               if isinstance(v, ast.Constant) and not events.label_of(v.value)]
    assert not missing


def test_services_name_kinds_by_their_catalogue_constant_never_by_a_string():
    literal = [f"{p}:{line}" for p, line, v in _recorded_actions() if isinstance(v, (ast.Constant, ast.JoinedStr))]
    assert not literal


def test_every_kind_in_the_catalogue_is_labelled_without_codes():
    for code, k in events.KINDS.items():
        assert k.label and not any(c.isascii() and c.isalpha() for c in k.label), code


@pytest.mark.django_db
def test_a_payment_line_names_the_amount_and_the_account():
    label, detail = events.describe(events.DISBURSEMENT_PAY, {"status": "notified"},
                                    {"status": "paid", "amount": "12000.00", "account_no": "6222000011112222",
                                     "bank_ref": "B-1"})
    assert label == "发放案款"
    assert detail == "¥12,000.00，收款账号 6222000011112222，银行流水号 B-1"


@pytest.mark.django_db
def test_a_freeze_line_names_the_measure_and_the_amount():
    label, detail = events.describe("property.control", {}, {"measure": "freeze", "freeze_amount": "50000"})
    assert (label, detail) == ("控制财产", "冻结，冻结金额 ¥50,000.00")


@pytest.mark.django_db
def test_an_assignment_names_the_judge_and_a_document_its_kind():
    assert events.describe(events.CASE_ASSIGN, {}, {"judge": 7}, {7: "王法官"}) == ("指定承办法官", "承办法官 王法官")
    label, detail = events.describe(events.DOCUMENT_GENERATE, {}, {"kind": "execution_notice", "version": 2})
    assert (label, detail) == ("生成法律文书", "执行通知书，第 2 版")


def test_families_word_their_value():
    assert events.describe(events.milestone("notice_sent")) == ("记录节点", "已发送执行通知书、报告财产令")
    assert events.describe(events.sanction("publish"), {}, {"kind": "dishonest_list"})[0] == "发布信用惩戒"


def test_an_unknown_code_is_never_shown_as_it_is():
    assert events.describe("some.code") == ("其他操作", "")


def test_a_payee_change_request_line_names_the_new_account():
    label, detail = events.describe(events.PAYEE_CHANGE_REQUEST,
                                    after={"holder": "张三", "bank": "中国工商银行洛阳分行", "account_no": "6222"})
    assert (str(label), detail) == ("申请变更收款账户", "变更为 张三 中国工商银行洛阳分行 6222")


@pytest.mark.parametrize("code", sorted(events.KINDS))
def test_every_kinds_detail_line_renders_from_an_empty_payload(code):
    label, detail = events.describe(code, before={}, after={})
    assert str(label) and isinstance(detail, str)
