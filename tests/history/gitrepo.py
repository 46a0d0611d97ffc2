"""Real git repositories in a temporary folder, with agreements that evolve commit by commit."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def sla(
    *,
    id: str = "payments-api",
    version: int = 1,
    effective: str = "2026-01-01",
    target: float = 99.9,
    credit_99: float = 25,
    p1_response: str = "15m",
    p3: bool = True,
    hours: str = "09:00-18:00",
    scope: tuple[str, ...] = ("REST API", "Webhooks"),
    exclusions: tuple[str, ...] = ("Sandbox environment",),
    owners: tuple[str, ...] = ("team-payments",),
    notice: str = "7d",
) -> str:
    """An agreement as YAML; each keyword is one promise a test can change."""
    p3_objective = """
  - id: p3-resolution
    kind: resolution-time
    priority: P3
    within: 3d
    clock: office
    target: 95
    window: calendar-month
    source: {incidents: {path: data/incidents.csv}}""" if p3 else ""
    return f"""\
id: {id}
name: Payments API
version: {version}
effective: {effective}
visibility: public
owners: [{", ".join(owners)}]
parties:
  provider: {{name: Example Cloud, contact: sla@example.com}}
  customer: {{name: All customers}}
service:
  description: Card and wallet payment processing over HTTPS.
  scope: [{", ".join(scope)}]
  exclusions: [{", ".join(exclusions)}]
support:
  hours: office
calendars:
  office: {{timezone: Asia/Shanghai, weekdays: [mon, tue, wed, thu, fri], hours: "{hours}"}}
priorities:
  P1: {{response: {p1_response}, resolution: 4h}}
  P3: {{response: 4h, resolution: 3d, clock: office}}
objectives:
  - id: availability
    kind: availability
    target: {target}
    window: calendar-month
    source: {{file: {{path: data/payments-api/requests.csv}}}}
  - id: p1-response
    kind: response-time
    priority: P1
    within: {p1_response}
    clock: 24x7
    target: 100
    window: calendar-quarter
    source: {{incidents: {{path: data/incidents.csv}}}}{p3_objective}
maintenance:
  notice: {notice}
credits:
  objective: availability
  tiers:
    - {{below: 99.9, credit: 10}}
    - {{below: 99.0, credit: {credit_99}}}
    - {{below: 95.0, credit: 100}}
  claim_within: 30d
"""


class Repo:
    """A git work tree where each commit has an explicit author and date."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.n = 0
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, author: str = "Ann Author", date: str = "") -> str:
        self.n += 1
        when = date or f"2026-0{1 + self.n % 9}-0{1 + self.n % 9}T10:00:00+00:00"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
            "GIT_AUTHOR_NAME": author,
            "GIT_AUTHOR_EMAIL": f"{author.split()[0].lower()}@example.com",
            "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": "ci@example.com",
            "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
            "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
        }
        out = subprocess.run(["git", *args], cwd=self.path, env=env, check=True,
                             capture_output=True, text=True)
        return out.stdout.strip()

    def write(self, rel: str, text: str) -> None:
        p = self.path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")

    def commit(self, message: str, files: dict[str, str] | None = None, **kw: str) -> str:
        for rel, text in (files or {}).items():
            self.write(rel, text)
        self.git("add", "-A")
        self.git("commit", "-q", "--no-verify", "-m", message, **kw)
        return self.git("rev-parse", "HEAD")
