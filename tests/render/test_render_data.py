"""The data files say what ``slacode evaluate --format json`` and the results say."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest
import render_sample as sample

from slacode.evaluate.results import Miss, Restatement
from slacode.render import data, render


def _periods():
    pay = sample.results()[0]
    extra = replace(pay.periods[0], restatements=(Restatement("2026-11-02T00:00:00Z", "late"),))
    return [*pay.periods, extra]


def test_service_json_periods_are_the_documented_as_dict_shape() -> None:
    files = render(sample.agreements(), sample.results(), now=sample.NOW)
    shown = json.loads(files["api/payments-api.json"])
    expected = [json.loads(json.dumps(p.as_dict())) for p in sample.results()[0].periods]
    assert shown["periods"] == expected
    assert any(p["misses"] for p in shown["periods"])  # nested records are written too
    assert shown["current"] and all(c in shown["periods"] for c in shown["current"])


def test_a_result_is_written_as_its_fields_even_with_other_attributes_set() -> None:
    """A value set on a frozen record besides its fields must not reach the JSON."""
    for p in _periods():
        tagged = replace(p, misses=(*p.misses, Miss("late reply", "a", "b")))
        object.__setattr__(tagged, "_cache", "not a field")
        with pytest.raises(AttributeError):  # a miss (slotted) holds its fields and no more
            object.__setattr__(tagged.misses[-1], "_cache", "not a field")
        assert data.dumps(tagged) == data.dumps(tagged.as_dict())
        assert "not a field" not in data.dumps(tagged)


def test_csv_numbers_are_written_as_they_are_and_text_cells_still_defused() -> None:
    p = replace(_periods()[0], margin=-0.05, objective="=cmd()", unit="-x")
    rows = list(csv.DictReader(io.StringIO(data.service_csv([p]))))
    assert rows[0]["margin"] == "-0.05" and rows[0]["value"] == repr(p.value)
    assert rows[0]["objective"] == "'=cmd()" and rows[0]["unit"] == "'-x"
    assert rows[0]["closed"] == str(p.closed).lower()
