"""The nightly publishes each audience's site where that audience can reach it, and
nowhere else: the public site to GitHub Pages, the internal site and every customer's
site each as an artifact of its own, never to Pages."""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]


def _nightly() -> dict:
    text = (ROOT / ".github" / "workflows" / "nightly.yml").read_text(encoding="utf-8")
    return YAML(typ="safe", pure=True).load(text)


def _uploads(job: dict) -> list[dict]:
    return [s for s in job.get("steps", []) if s.get("uses", "").startswith(
        ("actions/upload-artifact@", "actions/upload-pages-artifact@"))]


def test_only_the_public_site_goes_to_pages_and_every_other_site_is_its_own_artifact() -> None:
    wf = _nightly()
    jobs = wf["jobs"]
    update = jobs["update"]
    build = next(s for s in update["steps"] if "slacode build --strict" in s.get("run", ""))
    assert "--audience all" in build["run"]  # one evaluation, every audience's site
    pages = [s for j in jobs.values() for s in _uploads(j)
             if s["uses"].startswith("actions/upload-pages-artifact@")]
    assert [s["with"]["path"] for s in pages] == ["site/public"]
    artifacts = {s["with"]["name"]: s["with"]["path"] for s in _uploads(update)
                 if s["uses"].startswith("actions/upload-artifact@")}
    assert artifacts["site-internal"] == "site/internal"
    assert artifacts["customer-sites"] == "site/customers"  # staged for the split below
    # each customer's site becomes an artifact of its own, in a job without credentials
    # or write access that runs no project code
    split = jobs["customer-sites"]
    assert split["needs"] == "update" and split["permissions"] == {}
    assert split["strategy"]["matrix"]["customer"] == (
        "${{ fromJSON(needs.update.outputs.customers) }}")
    assert update["outputs"]["customers"] == "${{ steps.customers.outputs.names }}"
    (per_customer,) = _uploads(split)
    assert per_customer["with"]["name"] == "site-customer-${{ matrix.customer }}"
    assert per_customer["with"]["path"] == "customers/${{ matrix.customer }}"
    assert "secrets" not in str(split) and not any("run" in s for s in split["steps"])
    # the Pages deployment takes only the Pages artifact (site/public)
    deploy = jobs["deploy"]
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_the_nights_customer_reports_are_printed_without_credentials_and_kept() -> None:
    jobs = _nightly()["jobs"]
    update = jobs["update"]
    write = next(s for s in update["steps"] if "slacode report" in s.get("run", ""))
    assert "git status --porcelain --untracked-files=all -- ledger" in write["run"]
    assert "--no-pdf" in write["run"] and write["if"] == "steps.frozen.outputs.frozen == 'true'"
    assert write.get("continue-on-error") is True  # a failed report keeps tonight's sites
    assert update["outputs"]["reports"] == "${{ steps." + write["id"] + ".outputs.written }}"
    printer = jobs["customer-reports"]
    assert printer["needs"] == "update" and printer["permissions"] == {"contents": "read"}
    assert "needs.update.outputs.reports == 'true'" in printer["if"]
    assert "secrets" not in str(printer)
    runs = "\n".join(s.get("run", "") for s in printer["steps"])
    assert "slacode report --print reports/*.html" in runs
    assert "--require-hashes -r requirements/nightly.txt" in runs
    (kept,) = [s for s in _uploads(printer)]
    assert kept["with"] == {"name": "customer-reports", "path": "reports",
                            "retention-days": 90, "if-no-files-found": "error"}
