"""``manage.py bench_load`` (README "Growing past one machine"): its refusal and its statistics.

The load test itself starts gunicorn and Celery and is run by ``make bench-load``, never here.
"""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from enforcement.management.commands.bench_load import conclusion, percentile, summarize


def test_refuses_a_database_without_bench_in_its_name():
    assert "bench" not in connection.settings_dict["NAME"]
    with pytest.raises(CommandError, match="bench|PostgreSQL"):
        call_command("bench_load", "--seconds", "1", "--web", "1", "--celery", "1")


def test_summarize_known_data():
    # 1 … 100 ms over 10 s: 100 requests, 10 rps, nearest-rank p50 = 50, p99 = 99.
    s = summarize([float(v) for v in reversed(range(1, 101))], 10.0)
    assert s == {"requests": 100, "rps": 10.0, "p50_ms": 50.0, "p99_ms": 99.0}


def test_percentile_edges():
    assert percentile([], 50) == 0.0
    assert percentile([7.0], 99) == 7.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 99) == 4.0
    assert summarize([], 0)["rps"] == 0.0


def test_conclusion_says_when_throughput_stops_growing():
    flat = conclusion({(1, 1): 80.0, (2, 1): 130.0, (4, 1): 128.0}, cpus=2)
    assert "cannot grow past 2 processes" in flat and "2 CPU cores" in flat
    grows = conclusion({(1, 1): 80.0, (2, 1): 150.0, (4, 1): 290.0}, cpus=8)
    assert "cannot grow" not in grows and "scaled" in grows
