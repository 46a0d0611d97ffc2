#!/usr/bin/env python3
"""Generate the demo's measurement files, deterministically (seeded; standard library only).

    python data/generate.py            # (re)write every file under data/
    python data/generate.py --summary  # also print each month's figures, to check the story

The story (UTC unless noted; now = 2026-11-26T00:00:00Z):

* payments-api availability (target 99.95, monthly): breaches in 2025-12 (one hour at 60%
  errors, 10% credit) and 2026-03 (an eight-hour outage on 17 March, 30% credit); the
  maintenance on 2026-10-11 02:00-03:00 failed every request but was announced in time,
  so October meets its target only with the window excluded; the one on 2026-11-08
  02:00-02:45 was announced late, so it counts and November is breached.
* payments-api latency (99% under 300 ms): degraded 4-15 May 2026 and on 17 March.
* acme-analytics (Europe/Berlin, 99.9; bonus at 99.99): breaches in 2026-01 and 2026-08,
  bonus months elsewhere.
* status-web (99.5, monthly and rolling 28 days): a day and a half at 30% errors from
  2026-04-02 breaches April; a three-hour incident on 2026-09-14 does not.
* auth-internal (5-minute slices, bad above 5% errors, 99.95): 18 bad slices on
  2026-02-10 (breach), 5 on 2026-06-21 (met); two hours without data on 2026-08-12
  (empty rows) and a night of zero traffic on 2026-01-01 (0/0 slices).
* incidents (payments-api, support-desk): P1..P4 over the 14 months; a few miss their
  targets (payments-api's P1 of 17 March answered after 42 minutes breaches Q1 2026);
  SD-CNY opened Friday 2026-02-13 17:00 +08:00 just before the Spring Festival holiday
  and resolved 2026-02-25 12:00 +08:00: twelve calendar days, but within three business
  days on the cn-business clock.
* support-desk survey: a mean under 4.2 in 2026-02, fewer than 20 responses in 2026-10.
* globex-exports (the second customer; its own seed, so the files above stay as they
  were): a six-hour outage on 2026-10-07 breaches October (10% credit); the maintenance
  of 2026-10-17 is excluded, the one of 2026-10-24 (two days' notice) counts; P1
  incidents GLX-3 (2026-06-12) and GLX-5 (2026-10-24) get their first response late.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import random
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261126
START = datetime(2025, 9, 30, tzinfo=UTC)  # a day early: agreements east of UTC start before
NOW = datetime(2026, 11, 26, tzinfo=UTC)
CST = timezone(timedelta(hours=8))


def t(text: str) -> datetime:
    dt = datetime.fromisoformat(text)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def hours() -> list[datetime]:
    n = int((NOW - START).total_seconds() // 3600)
    return [START + timedelta(hours=i) for i in range(n)]


def diurnal(dt: datetime, peak_hour: int) -> float:
    """A smooth day curve (0.35 .. 1.65) peaking at ``peak_hour`` UTC, quieter on weekends."""
    x = math.cos((dt.hour + dt.minute / 60 - peak_hour) / 24 * 2 * math.pi)
    weekend = 0.7 if dt.weekday() >= 5 else 1.0
    return (1.0 + 0.65 * x) * weekend


def error_share(dt: datetime, outages: list[tuple[datetime, datetime, float]]) -> float:
    """Share of failing requests in the hour starting at ``dt`` (outages pro rata)."""
    end = dt + timedelta(hours=1)
    share = 0.0
    for a, b, s in outages:
        overlap = (min(b, end) - max(a, dt)).total_seconds()
        if overlap > 0:
            share += s * overlap / 3600
    return min(share, 1.0)


def requests_file(
    rnd: random.Random, base: int, peak: int, baseline: float,
    outages: list[tuple[datetime, datetime, float]],
) -> list[tuple[str, int, int]]:
    rows = []
    for h in hours():
        total = max(0, round(base * diurnal(h, peak) * rnd.uniform(0.92, 1.08)))
        share = error_share(h, outages)
        expected = total * baseline * rnd.uniform(0.5, 1.5)
        errors = round(total * share) + int(expected) + (rnd.random() < expected % 1)
        errors = min(errors, total)
        rows.append((iso(h), total - errors, total))
    return rows


def write_csv(path: Path, header: list[str], rows: list, gz: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    data = buf.getvalue().encode()
    if gz:
        path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    else:
        path.write_bytes(data)


PAYMENTS_OUTAGES = [
    (t("2025-12-09T14:00"), t("2025-12-09T15:00"), 0.60),
    (t("2026-03-17T09:00"), t("2026-03-17T17:00"), 1.00),
    (t("2026-07-02T10:10"), t("2026-07-02T10:20"), 0.50),
    (t("2026-10-11T02:00"), t("2026-10-11T03:00"), 1.00),  # maintenance, announced in time
    (t("2026-11-08T02:00"), t("2026-11-08T02:45"), 1.00),  # maintenance, announced late
    (t("2026-11-19T16:00"), t("2026-11-19T16:10"), 0.40),  # a bad deploy, rolled back
]


def payments(rnd: random.Random) -> tuple[list, list]:
    rows = requests_file(rnd, 3000, 14, 0.0002, PAYMENTS_OUTAGES)
    slow_days = [(t("2026-05-04"), t("2026-05-16"), 0.025), (t("2026-03-17T08:00"),
                 t("2026-03-17T18:00"), 0.20)]
    lat = []
    for start, _good, total in rows:
        h = t(start)
        slow = next((s for a, b, s in slow_days if a <= h < b), 0.004)
        slow_n = min(total, round(total * slow * rnd.uniform(0.8, 1.2)))
        lat.append((start, total - slow_n, total))
    return rows, lat


def auth_internal(rnd: random.Random) -> list[tuple[int, object, object]]:
    bad = [(t("2026-02-10T11:00"), t("2026-02-10T12:30"), 0.20),
           (t("2026-06-21T03:10"), t("2026-06-21T03:35"), 0.12)]
    missing = (t("2026-08-12T01:00"), t("2026-08-12T03:00"))
    quiet = (t("2026-01-01T01:00"), t("2026-01-01T04:00"))
    rows: list[tuple[int, object, object]] = []
    n = int((NOW - START).total_seconds() // 300)
    for i in range(n):
        s = START + timedelta(minutes=5 * i)
        if missing[0] <= s < missing[1]:
            rows.append((int(s.timestamp()), "", ""))
            continue
        busy = round(600 * diurnal(s, 10) * rnd.uniform(0.85, 1.15))
        total = 0 if quiet[0] <= s < quiet[1] else busy
        share = next((x for a, b, x in bad if a <= s < b), None)
        if share is not None:
            errors = round(total * share)
        else:
            errors = 1 if total and rnd.random() < 0.15 else 0
        rows.append((int(s.timestamp()), total - errors, total))
    return rows


def cst(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CST)


def incidents(rnd: random.Random) -> list[tuple]:
    rows: list[tuple] = []
    titles = {
        "P1": ["Card payments failing", "Checkout unavailable", "Webhook delivery stopped"],
        "P2": ["Refunds delayed", "Wallet top-ups slow", "Elevated 5xx on /v2/charges"],
        "P3": ["Report export times out", "Invoice PDF layout broken", "Login page slow"],
        "P4": ["Question about API limits", "Request for a sandbox key", "How to rotate keys"],
    }
    # payments-api: P1 about once a quarter, all answered in time except 17 March
    p1 = [("PAY-101", "2025-11-04T08:12", 9, 95), ("PAY-107", "2026-03-17T09:02", 42, 480),
          ("PAY-112", "2026-06-09T19:40", 11, 70), ("PAY-118", "2026-09-22T03:15", 14, 130),
          ("PAY-121", "2026-11-08T02:03", 6, 45)]
    for iid, opened, resp, res in p1:
        o = t(opened)
        rows.append((iid, "payments-api", "P1", iso(o), iso(o + timedelta(minutes=resp)),
                     iso(o + timedelta(minutes=res)), titles["P1"][len(rows) % 3], "true"))
    for k in range(14):
        o = START + timedelta(days=20 + 29 * k, hours=rnd.randint(6, 20),
                              minutes=rnd.randint(0, 59))
        if o >= NOW:
            break
        rows.append((f"PAY-2{k:02d}", "payments-api", "P2", iso(o),
                     iso(o + timedelta(minutes=rnd.randint(10, 50))),
                     iso(o + timedelta(hours=rnd.randint(2, 20))), titles["P2"][k % 3],
                     "false" if k == 5 else "true"))
    # support-desk: tickets in Shanghai business hours, mostly on time
    n = 0
    day = datetime(2025, 10, 1, tzinfo=CST)
    while day < NOW.astimezone(CST) - timedelta(days=1):
        if day.weekday() < 5:
            for _ in range(rnd.choice((0, 1, 1, 2))):
                n += 1
                pr = rnd.choices(("P1", "P2", "P3", "P4"), weights=(1, 4, 8, 10))[0]
                o = day + timedelta(hours=rnd.randint(10, 15), minutes=rnd.randint(0, 59))
                late = rnd.random() < 0.04 or (day.year == 2026 and day.month == 2 and pr == "P3")
                resp = timedelta(minutes=rnd.randint(5, 25) if pr == "P1" else rnd.randint(10, 90))
                if late:
                    resp = {"P1": timedelta(minutes=55), "P2": timedelta(days=1, hours=2)}.get(
                        pr, resp)
                if late and pr in ("P3", "P4"):
                    res = timedelta(days=rnd.randint(15, 25))
                else:
                    res = {"P1": timedelta(hours=3), "P2": timedelta(hours=20)}.get(
                        pr, timedelta(hours=rnd.randint(2, 22)))
                first = o + resp
                resolved = o + max(res, resp)
                open_now = resolved > NOW
                rows.append((f"SD-{n:04d}", "support-desk", pr, o.isoformat(), first.isoformat(),
                             "" if open_now else resolved.isoformat(),
                             rnd.choice(titles[pr]), "true"))
        day += timedelta(days=1)
    rows.append(("SD-CNY", "support-desk", "P3", cst("2026-02-13T17:00").isoformat(),
                 cst("2026-02-13T17:20").isoformat(), cst("2026-02-25T12:00").isoformat(),
                 "Export fails for one region (opened before the Spring Festival)", "true"))
    rows.sort(key=lambda r: t(r[3]))
    return rows


def survey(rnd: random.Random) -> list[tuple[str, int]]:
    rows = []
    day = datetime(2025, 10, 1, tzinfo=CST)
    while day < NOW.astimezone(CST):
        month = (day.year, day.month)
        per_day = 0.5 if month == (2026, 10) else 1.6
        weights = (2, 3, 10, 30, 55) if month != (2026, 2) else (8, 10, 25, 30, 27)
        for _ in range(int(per_day) + (rnd.random() < per_day % 1)):
            when = day + timedelta(hours=rnd.randint(9, 20), minutes=rnd.randint(0, 59))
            rows.append((when.isoformat(), rnd.choices((1, 2, 3, 4, 5), weights=weights)[0]))
        day += timedelta(days=1)
    return rows


GLOBEX_OUTAGES = [
    (t("2026-10-07T08:00"), t("2026-10-07T14:00"), 1.00),
    (t("2026-10-17T02:00"), t("2026-10-17T03:00"), 1.00),  # maintenance, announced in time
    (t("2026-10-24T01:00"), t("2026-10-24T01:30"), 1.00),  # maintenance, announced late
]


def globex() -> tuple[list, list]:
    """The second customer's requests and incidents, from a seed of their own."""
    rnd = random.Random(SEED + 1)
    rows = requests_file(rnd, 200, 11, 0.0003, GLOBEX_OUTAGES)
    # (id, opened, first response after minutes, resolved after minutes)
    p1 = [("GLX-1", "2026-02-03T10:20", 8, 150), ("GLX-2", "2026-03-19T22:05", 21, 300),
          ("GLX-3", "2026-06-12T06:40", 45, 200), ("GLX-4", "2026-10-07T08:04", 12, 365),
          ("GLX-5", "2026-10-24T01:02", 41, 55)]
    titles = ["Nightly export failed", "Export API returns errors", "Exports stalled"]
    incs = [(iid, "globex-exports", "P1", iso(t(o)), iso(t(o) + timedelta(minutes=r)),
             iso(t(o) + timedelta(minutes=d)), titles[k % 3], "true")
            for k, (iid, o, r, d) in enumerate(p1)]
    return rows, incs


def main(argv: list[str]) -> int:
    rnd = random.Random(SEED)
    pay, lat = payments(rnd)
    write_csv(HERE / "payments-api/requests.csv", ["start", "good", "total"], pay)
    write_csv(HERE / "payments-api/latency.csv", ["start", "good", "total"], lat)
    acme = requests_file(rnd, 800, 9, 0.00004, [
        (t("2026-01-20T08:00"), t("2026-01-20T11:00"), 1.0),
        (t("2026-08-05T13:00"), t("2026-08-05T14:00"), 1.0),
    ])
    write_csv(HERE / "acme-analytics/requests.csv", ["start", "good", "total"], acme)
    web = requests_file(rnd, 400, 18, 0.0005, [
        (t("2026-04-02T00:00"), t("2026-04-03T12:00"), 0.30),
        (t("2026-09-14T06:00"), t("2026-09-14T09:00"), 0.80),
    ])
    write_csv(HERE / "status-web/requests.csv", ["start", "good", "total"], web)
    write_csv(HERE / "auth-internal/requests.csv.gz", ["start", "good", "total"],
              auth_internal(rnd), gz=True)
    write_csv(HERE / "incidents.csv", ["id", "service", "priority", "opened", "first_response",
                                       "resolved", "title", "customer_visible"], incidents(rnd))
    write_csv(HERE / "support-desk/survey.csv", ["time", "score"], survey(rnd))
    glx, glx_incidents = globex()
    write_csv(HERE / "globex-exports/requests.csv", ["start", "good", "total"], glx)
    write_csv(HERE / "globex-exports/incidents.csv", ["id", "service", "priority", "opened",
                                                      "first_response", "resolved", "title",
                                                      "customer_visible"], glx_incidents)
    if "--summary" in argv:
        for name, rows in (("payments-api", pay), ("payments-api latency", lat),
                           ("acme-analytics", acme), ("status-web", web),
                           ("globex-exports", glx)):
            months: dict[str, list[int]] = {}
            for start, good, total in rows:
                m = months.setdefault(start[:7], [0, 0])
                m[0] += good
                m[1] += total
            print(name, " ".join(f"{k}:{100 * g / tot:.3f}" for k, (g, tot) in months.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
