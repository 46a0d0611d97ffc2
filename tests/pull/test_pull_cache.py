"""The pull cache: one file, read once and written once per pull, that forgets what no
pull uses any more and never turns an unreadable file into figures."""

from __future__ import annotations

import json
import logging

from slacode.pull.cache import FILENAME, FORGET, SETTLE, Cache, CachedPoint

DAY = 86400
NOW = 1_790_000_000 - 1_790_000_000 % DAY
KEY = {"kind": "prometheus", "server": "http://prom:9090", "exprs": {"total": "x"}}
LATER = NOW + SETTLE  # when the day that ended at NOW is final
OTHER = {**KEY, "exprs": {"total": "y"}}


def days(n: int, end: int = NOW, good: float = 99.0) -> list[CachedPoint]:
    return [CachedPoint(end - (n - i) * DAY, end - (n - i - 1) * DAY, good, 100.0)
            for i in range(n)]


def test_stored_points_survive_into_the_next_pull_in_one_file(tmp_path) -> None:
    cache = Cache(tmp_path)
    cache.store(KEY, days(3), LATER)
    cache.store(OTHER, days(2, good=50.0), LATER)
    assert not (tmp_path / FILENAME).exists()  # written once, at the end of the pull
    cache.flush()
    assert [p.name for p in tmp_path.iterdir()] == [FILENAME]
    again = Cache(tmp_path)
    assert sorted(again.load(KEY).values()) == days(3)
    assert sorted(again.load(OTHER).values()) == days(2, good=50.0)


def test_intervals_ending_within_the_settling_time_are_not_kept(tmp_path) -> None:
    cache = Cache(tmp_path)
    young = CachedPoint(NOW - 3600, NOW - SETTLE + 1, 1.0, 1.0)
    cache.store(KEY, [*days(1, end=NOW - 3600), young], NOW)
    cache.flush()
    assert list(Cache(tmp_path).load(KEY)) == [NOW - 3600 - DAY]


def test_an_unreadable_file_is_ignored_with_a_warning_and_replaced(tmp_path, caplog) -> None:
    (tmp_path / FILENAME).write_text('{"format": 3, "entries": {"ab', encoding="utf-8")
    cache = Cache(tmp_path)
    with caplog.at_level(logging.WARNING):
        assert cache.load(KEY) == {}
    assert "ignoring unreadable cache file" in caplog.text
    cache.store(KEY, days(1), LATER)
    cache.flush()
    assert sorted(Cache(tmp_path).load(KEY).values()) == days(1)


def test_an_entry_of_another_key_under_the_same_name_is_not_used(tmp_path) -> None:
    cache = Cache(tmp_path)
    cache.store(KEY, days(2), LATER)
    cache.flush()
    doc = json.loads((tmp_path / FILENAME).read_text())
    (entry,) = doc["entries"].values()
    entry["key"] = OTHER  # a hash collision, or a hand-edited file
    (tmp_path / FILENAME).write_text(json.dumps(doc))
    assert Cache(tmp_path).load(KEY) == {}


def test_entries_no_pull_has_used_for_two_months_are_forgotten(tmp_path) -> None:
    old = Cache(tmp_path)
    old.store(OTHER, days(1, end=NOW - FORGET - DAY), LATER - FORGET - DAY)
    old.flush()
    cache = Cache(tmp_path)
    cache.store(KEY, days(1), LATER)
    cache.flush()
    fresh = Cache(tmp_path)
    assert fresh.load(KEY) and fresh.load(OTHER) == {}


def test_files_of_the_one_file_per_entry_layout_are_removed(tmp_path) -> None:
    legacy = tmp_path / "prometheus-0123456789abcdef0123456789abcdef.json"
    legacy.write_text("{}")
    keep = tmp_path / "notes.json"
    keep.write_text("{}")
    cache = Cache(tmp_path)
    cache.store(KEY, days(1), LATER)
    cache.flush()
    assert not legacy.exists() and keep.exists()


def test_no_folder_means_no_cache(tmp_path) -> None:
    cache = Cache(None)
    cache.store(KEY, days(1), LATER)
    cache.flush()
    assert cache.load(KEY) == {} and list(tmp_path.iterdir()) == []


def test_no_data_and_its_reason_survive_the_round_trip(tmp_path) -> None:
    gap = CachedPoint(NOW - DAY, NOW, None, None, "no samples in this interval")
    zero = CachedPoint(NOW - 2 * DAY, NOW - DAY, 0.0, 0.0)  # zero traffic is not no data
    cache = Cache(tmp_path)
    cache.store(KEY, [zero, gap], LATER)
    cache.flush()
    assert Cache(tmp_path).load(KEY) == {zero.start: zero, gap.start: gap}


def test_a_damaged_entry_is_ignored_with_a_warning(tmp_path, caplog) -> None:
    cache = Cache(tmp_path)
    cache.store(KEY, days(2), LATER)
    cache.store(OTHER, days(2), LATER)
    cache.flush()
    doc = json.loads((tmp_path / FILENAME).read_text())
    for entry in doc["entries"].values():
        if entry["key"] == KEY:
            entry["good"] = entry["good"][:-4]  # a column cut short
    (tmp_path / FILENAME).write_text(json.dumps(doc))
    again = Cache(tmp_path)
    with caplog.at_level(logging.WARNING):
        assert again.load(KEY) == {}
    assert "ignoring an unreadable entry" in caplog.text
    assert sorted(again.load(OTHER).values()) == days(2)
