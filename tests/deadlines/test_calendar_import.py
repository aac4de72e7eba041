"""``manage.py import_calendar`` and ``seed_calendar`` (SPEC §3 "Calendar data"): all or nothing."""

import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from deadlines.calendar import calendar_for
from deadlines.calendar_services import calendar_seed_national
from deadlines.models import Calendar, CalendarDay, CalendarYear
from enforcement.models import AuditEvent

CSV_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-02-06,休,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-20,workday,春节调休上班
"""


@pytest.fixture
def national(db):
    return calendar_seed_national().calendar


def test_import_csv_loads_the_year_into_the_national_calendar(national, tmp_path, capsys):
    # given a CSV of the 2027 schedule (with the UTF-8 BOM Excel writes)
    path = tmp_path / "2027.csv"
    path.write_bytes(b"\xef\xbb\xbf" + CSV_2027.encode())
    # when
    call_command("import_calendar", str(path), "--year", "2027", "--source", "国办发明电〔2026〕7号")
    # then
    assert CalendarYear.objects.get(calendar=national, year=2027).source == "国办发明电〔2026〕7号"
    assert national.days.filter(date__year=2027).count() == 5
    assert national.days.get(date=date(2027, 2, 6)).kind == "holiday"
    assert calendar_for(None).is_working_day(date(2027, 2, 20))  # a make-up Saturday
    assert AuditEvent.objects.filter(action="calendar.load_year").count() == 1
    assert "已载入 全国法定节假日 2027 年" in capsys.readouterr().out


def test_import_json_into_a_courts_local_calendar(national, courts, tmp_path):
    # given a JSON file with one local holiday
    path = tmp_path / "local.json"
    path.write_text(json.dumps([{"date": "2026-03-05", "kind": "holiday", "name": "地方纪念日"}], ensure_ascii=False))
    # when
    call_command("import_calendar", str(path), "--year", "2026", "--calendar-court", str(courts.luoyang.pk))
    # then a local calendar for Luoyang holds it; the national calendar is untouched
    local = Calendar.objects.get(court=courts.luoyang)
    assert list(local.days.values_list("date", "name")) == [(date(2026, 3, 5), "地方纪念日")]
    assert local.days.get().source == "导入文件 local.json"
    assert not national.days.filter(date=date(2026, 3, 5)).exists()
    assert not calendar_for(courts.xigong).is_working_day(date(2026, 3, 5))
    assert calendar_for(courts.hangzhou).is_working_day(date(2026, 3, 5))


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bad.csv", "date,kind,name\n2027-01-01,holiday,元旦\n2027-13-01,holiday,错\n2027-01-02,rest,错\n",
     "第3行：日期“2027-13-01”格式应为 YYYY-MM-DD。"),
    ("bad.json", '[{"date": "2027-01-01", "kind": "holiday"}, {"when": "2027-01-02"}]',
     "第2项：应为含 date、kind（及 name）的对象。"),
    ("broken.json", '[{"date": "2027-01-01",', "JSON 格式错误"),
    ("other_year.csv", "2027-01-01,holiday,元旦\n2028-01-01,holiday,元旦\n", "2028-01-01 不属于2027年"),
])
def test_a_bad_file_is_refused_with_clear_errors_and_nothing_is_written(national, tmp_path, capsys, name,
                                                                        content, message):
    # given a file with an error among valid rows
    path = tmp_path / name
    path.write_text(content)
    # when
    with pytest.raises(CommandError, match="未作任何修改"):
        call_command("import_calendar", str(path), "--year", "2027")
    # then the error names the line, and no 2027 data exists
    assert message in capsys.readouterr().err
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_a_bad_file_for_a_new_local_calendar_leaves_no_calendar_behind(national, courts, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("2026-03-05,sometimes,错\n")
    with pytest.raises(CommandError):
        call_command("import_calendar", str(path), "--year", "2026", "--calendar-court", str(courts.luoyang.pk))
    assert not Calendar.objects.filter(court=courts.luoyang).exists()


def test_import_of_a_missing_file_or_court_is_a_clear_error(national, tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("import_calendar", str(tmp_path / "nope.csv"), "--year", "2027")
    path = tmp_path / "ok.csv"
    path.write_text(CSV_2027)
    with pytest.raises(CommandError, match="法院 id 999999 不存在"):
        call_command("import_calendar", str(path), "--year", "2027", "--calendar-court", "999999")


def test_seed_calendar_command_is_repeatable(national, capsys):
    call_command("seed_calendar")
    out = capsys.readouterr().out
    assert "新增节假日/调休日 0 条" in out and "已确认年度 2004–2026" in out


def test_import_accepts_a_gbk_encoded_csv(national, tmp_path):
    # given a CSV saved by Chinese Excel in GBK
    path = tmp_path / "2027_gbk.csv"
    path.write_bytes("2027-01-01,休,元旦\n".encode("gbk"))
    # when
    call_command("import_calendar", str(path), "--year", "2027")
    # then the Chinese kind and name were read correctly
    day = national.days.get(date=date(2027, 1, 1))
    assert (day.kind, day.name) == ("holiday", "元旦")
