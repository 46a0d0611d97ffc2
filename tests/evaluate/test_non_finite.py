"""A figure that is not a finite number is no figure: measurements whose sums overflow
(counts near 1.8e308, handed to evaluation by any source) give "no data" with a reason,
never NaN or infinity in a result, which no JSON document can hold."""

from __future__ import annotations

import dataclasses
import json

from evalkit import HOUR, agreement, series, ts

from slacode.evaluate import evaluate


def test_counts_whose_sum_overflows_are_no_data_not_nan() -> None:
    start, now = ts("2026-09-01T00:00:00+00:00"), ts("2026-10-01T00:00:00+00:00")
    data = series("svc", "availability", start, now, HOUR,
                  good=lambda t: 1e308, total=lambda t: 1e308)
    (out,) = evaluate([agreement()], {("svc", "availability"): data}, now, history_months=1)
    (sept,) = [p for p in out.periods if p.period == "2026-09"]
    assert (sept.verdict, sept.value, sept.budget, sept.credit) == ("no-data", None, None, None)
    assert sept.reasons[0].text == "the counts are too large to add up: no figure"
    json.dumps([p.as_dict() for p in out.periods], allow_nan=False)  # raises on NaN
    json.dumps(out.daily, default=dataclasses.asdict, allow_nan=False)
