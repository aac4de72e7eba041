"""Legal sources are shown as the document's Chinese name and article; the API keeps the short code."""

from enforcement.errors import Violation
from enforcement.legal import chinese_number, cite


def test_a_code_with_an_article_reads_as_the_documents_name_and_article():
    assert cite("[004 §13]") == "《最高人民法院关于进一步完善执行权制约机制加强执行监督的意见》第十三条"
    assert cite("[SPC2006 §2]") == "《最高人民法院关于人民法院办理执行案件若干期限的规定》第二条"


def test_a_code_without_an_article_reads_as_the_documents_name():
    assert cite("[001]") == "《洛阳市中级人民法院执行突出问题专项整治活动实施方案》"


def test_codes_inside_a_sentence_are_replaced_and_other_text_is_kept():
    assert cite("发放案款（依据[004 §22]）。") == (
        "发放案款（依据《最高人民法院关于进一步完善执行权制约机制加强执行监督的意见》第二十二条）。")
    assert cite("民诉法解释第485条") == "民诉法解释第485条"
    assert cite("[XYZ §1]") == "[XYZ §1]"


def test_article_numbers_are_written_as_statutes_write_them():
    assert [chinese_number(n) for n in (1, 10, 13, 20, 26, 100, 105, 113, 485)] == [
        "一", "十", "十三", "二十", "二十六", "一百", "一百零五", "一百一十三", "四百八十五"]


def test_a_refusal_keeps_the_code_for_the_api_and_cites_the_document_on_the_page():
    v = Violation("freeze_amount_missing", "冻结银行存款必须写明具体冻结数额。", "[004 §15]")
    assert v.as_dict()["source"] == "[004 §15]"
    assert v.message == ("冻结银行存款必须写明具体冻结数额。（依据《最高人民法院关于进一步完善执行权制约机制"
                         "加强执行监督的意见》第十五条）")
    assert "freeze_amount_missing" not in v.message
