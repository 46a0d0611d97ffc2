#!/usr/bin/env python3
"""What an extra audience costs: one public site plus N customer sites from one
``slacode build --audience all`` (one pull and evaluation), against building one
customer's site alone.

    .venv/bin/python benchmarks/audiences.py                 # 1 public + 50 customer sites
    .venv/bin/python benchmarks/audiences.py --customers 10 --json out.json

The project is the demo's public status-web agreement plus N customer agreements made
from the demo's globex-exports (each its own customer, reading the bundled files), with
the demo's mkdocs.yml and hand-written pages, in ``--workdir``. A script, never part of
the test suite: no test asserts on time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_project(where: Path, customers: int) -> Path:
    if where.exists():
        shutil.rmtree(where)
    (where / "slas").mkdir(parents=True)
    shutil.copytree(ROOT / "data", where / "data")
    shutil.copytree(ROOT / "site" / "docs", where / "site" / "docs")
    shutil.copy(ROOT / "mkdocs.yml", where / "mkdocs.yml")
    shutil.copy(ROOT / "slas" / "status-web.yaml", where / "slas" / "status-web.yaml")
    template = (ROOT / "slas" / "globex-exports.yaml").read_text(encoding="utf-8")
    for n in range(1, customers + 1):
        name = f"c{n:03d}"
        text = (template.replace("id: globex-exports", f"id: {name}-exports")
                .replace("visibility: customer:globex", f"visibility: customer:{name}")
                .replace("name: Globex Data Exports", f"name: Customer {n} Data Exports"))
        (where / "slas" / f"{name}-exports.yaml").write_text(text, encoding="utf-8")
    return where


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, default=50)
    ap.add_argument("--workdir", type=Path, default=ROOT / ".slacode" / "bench" / "audiences")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)

    import os

    from slacode.cli.build import build_all, build_site

    project = make_project(args.workdir / "project", args.customers)
    os.chdir(project)
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    out = build_all(project / "mkdocs.yml", site_dir=project / "site" / "public",
                    seconds=seconds)
    total = time.perf_counter() - t0
    customers = [v for k, v in seconds.items() if k.startswith("customer:")]
    t1 = time.perf_counter()
    build_site(project / "mkdocs.yml", audience="customer:c001",
               site_dir=project / "alone" / "c001")
    alone = time.perf_counter() - t1
    figures = {
        "sites": len(out),
        "total_seconds": round(total, 2),
        "public_seconds_with_pull_and_evaluation": round(seconds["public"], 2),
        "internal_seconds": round(seconds["internal"], 2),
        "customer_seconds_median": round(statistics.median(customers), 2),
        "customer_seconds_max": round(max(customers), 2),
        "one_customer_alone_seconds": round(alone, 2),
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
