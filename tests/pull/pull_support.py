"""Helpers of the pull tests, importable without pytest: hand-made agreements and settings,
a fake Prometheus that answers faults, and a TCP proxy that delays answers."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

from slacode.config import PrometheusServer, Settings
from slacode.model import Agreement, Objective


def make_settings(
    root: Path, url: str = "", whole_days: bool = False, **server: object
) -> Settings:
    """Settings with one server ``default`` at ``url`` and a cache under ``root``.

    Hourly intervals everywhere by default (``whole_days=False``), so tests can check
    counts hour by hour; the tests of whole days pass ``whole_days=True``.
    """
    opts = {"connect_timeout": 2.0, "read_timeout": 5.0, "retries": 1, **server}
    return Settings(root=root, cache=str(root / "cache"), whole_days=whole_days,
                    servers=(PrometheusServer(url=url, url_env="", **opts),))  # type: ignore[arg-type]


def make_agreement(*objectives: Objective, tz: str = "UTC", id: str = "api") -> Agreement:
    return Agreement(id=id, name=id.upper(), version=1, effective=date(2020, 1, 1),
                     path=f"slas/{id}.yaml", timezone=tz, objectives=objectives)


class FakePrometheus:
    """A tiny HTTP server that answers the query API with one chosen fault.

    Modes: ``503``, ``429`` (with ``Retry-After: 1``), ``html``, ``truncated``,
    ``status-error``, ``nan``, ``empty``, ``warnings``, ``ok``, ``zero`` (healthy scrapes,
    no traffic), ``partial`` (the series exists only for the last ``partial_from`` seconds
    of the asked range), ``negative`` (the parts named in ``negative`` answer -10, the
    others 10). Like Prometheus, a range query of more than 11,000 points gets a
    400. Records every request's headers in ``requests``. ``is-partial``: a healthy
    answer marked ``"isPartial": true``, as VictoriaMetrics cluster marks a partial one.
    """

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.partial_from = 5 * 86400
        self.negative: tuple[str, ...] = ("good",)  # expressions answered -10 (``negative``)
        self.requests: list[dict[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self.do_POST()

            def do_POST(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n).decode() if n else ""
                form = {k: v[0] for k, v in parse_qs(body).items()}
                fake.requests.append({**dict(self.headers.items()), **form, "_body": body,
                                      "_path": self.path})
                fake.answer(self, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def answer(self, h: BaseHTTPRequestHandler, body: str) -> None:
        form = {k: v[0] for k, v in parse_qs(body).items()}
        mode = self.mode

        def send(code: int, text: str, ctype: str = "application/json", **hdr: str) -> None:
            data = text.encode()
            h.send_response(code)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(data)))
            for k, v in hdr.items():
                h.send_header(k.replace("_", "-"), v)
            h.end_headers()
            h.wfile.write(data)

        if mode == "503":
            return send(503, '{"status":"error","errorType":"unavailable","error":"overloaded"}')
        if mode == "429":
            return send(429, "slow down", "text/plain", Retry_After="1")
        if mode == "html":
            return send(200, "<html><body>Sign in</body></html>", "text/html")
        if mode == "truncated":
            return send(200, '{"status":"success","data":{"resultType":"matrix","res')
        if mode == "status-error":
            return send(200, '{"status":"error","errorType":"execution",'
                             '"error":"too many samples"}')
        if mode == "error-names-a-series":  # a server's own words, quoting another's metric
            return send(422, '{"status":"error","errorType":"<b>SECRET_internal_metric</b>",'
                             '"error":"SECRET_internal_metric{team=\\"x\\"}: too many points"}')
        start, end, step = (int(float(form.get(k, 0))) for k in ("start", "end", "step"))
        if "time" not in form and (end - start) // max(step, 1) + 1 > 11_000:
            return send(400, '{"status":"error","errorType":"bad_data","error":"exceeded '
                             'maximum resolution of 11,000 points per timeseries. Try '
                             'decreasing the query resolution (?step=XX)"}')
        if "time" in form:
            start = end = int(float(form["time"]))
            step = 1
        value = {"nan": "NaN", "zero": "0"}.get(mode, "10")
        first = end - self.partial_from if mode == "partial" else start - 1
        values = [[t, value] for t in range(start, end + 1, max(step, 1)) if t > first]
        # a combined query (``slacode_part`` labels) gets one series per part
        parts = re.findall(r'"slacode_part", "([^"]+)"', form.get("query", "")) or [None]
        metrics = [{"slacode_part": p} if p else {} for p in parts]

        def of(m: dict[str, str]) -> list[list[object]]:
            if mode == "negative" and m.get("slacode_part", "").split(".")[-1] in self.negative:
                return [[t, "-10"] for t, _ in values]
            return values

        result = [] if mode == "empty" else [{"metric": m, "values": of(m)} for m in metrics]
        if not values:
            result = []
        if "time" in form:
            result = [] if mode == "empty" or not values else [
                {"metric": m, "value": of(m)[0]} for m in metrics]
        doc = {"status": "success",
               "data": {"resultType": "vector" if "time" in form else "matrix", "result": result}}
        if mode == "warnings":
            doc["warnings"] = ["partial data: store eu-1 unavailable"]
        if mode == "is-partial":
            doc["isPartial"] = True
        return send(200, json.dumps(doc))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class DelayProxy:
    """A TCP proxy to ``port`` that holds every answer back by ``delay`` seconds.

    Records the bytes clients sent in ``sent`` (to check what went over the wire).
    """

    def __init__(self, port: int, delay: float) -> None:
        self.port, self.delay = port, delay
        self.sent = bytearray()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self.listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        except OSError:
            client.close()
            return

        def up() -> None:
            try:
                while data := client.recv(65536):
                    self.sent.extend(data)
                    upstream.sendall(data)
            except OSError:
                pass

        threading.Thread(target=up, daemon=True).start()
        try:
            first = True
            while data := upstream.recv(65536):
                if first and self.delay:
                    time.sleep(self.delay)
                first = False
                client.sendall(data)
        except OSError:
            pass
        finally:
            client.close()
            upstream.close()

    def close(self) -> None:
        self._stop.set()
        self.listener.close()
