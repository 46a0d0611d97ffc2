"""Credentials out of logs and published text: one filter, shared by every logger.

The Prometheus client remembers each secret it reads from the environment (tokens,
passwords, header values, the userinfo of a server URL) with :func:`remember` and its
helpers; :data:`REDACTOR` then removes them, in every spelling a server may echo, from
every record of slacode's, urllib3's and requests' loggers, and the CLI puts it on its
own log handler (:func:`install_redaction`), which sees the records of child loggers
that logger filters do not. :func:`public_text` is the one way a server's words reach a
page. Standard library only: a build from files imports this without the HTTP stack.
"""

from __future__ import annotations

import base64
import logging
import re
from urllib.parse import unquote, urlsplit


class RedactFilter(logging.Filter):
    """Removes credentials from log records: known secret values (in every spelling a
    server may echo them, see :func:`_spellings`), ``Authorization`` headers and the
    userinfo of URLs (``user:password@``, ``user@``)."""

    _AUTH = re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(\w+\s+)?[^\s'\",}]+")
    #: a userinfo already masked (``user:***@``, as slacode's own warnings write it) is
    #: left as it is: the password is gone, and the user says which account is meant
    _USERINFO = re.compile(r"(//|host=['\"])(?![^/@\s:'\"]+:\*\*\*@)"
                           r"[^/@\s:'\"]+(?::[^/@\s'\"]+)?@")

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()
        self._known: frozenset[str] = frozenset()
        self._pattern: re.Pattern[str] | None = None

    def _compiled(self) -> re.Pattern[str] | None:
        """One pattern for all known secrets, longest first; made again when they change."""
        known = frozenset(self.secrets) - {""}  # a copy: sessions may add while we log
        if known != self._known:
            ordered = sorted(known, key=lambda s: (-len(s), s))
            pattern = re.compile("|".join(_spellings(s) for s in ordered)) if ordered else None
            self._known, self._pattern = known, pattern
        return self._pattern

    def redact(self, text: str) -> str:
        pattern = self._compiled()
        if pattern is not None:
            text = pattern.sub("***", text)
        text = self._AUTH.sub(r"\1***", text)
        return self._USERINFO.sub(r"\1***@", text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            msg = record.getMessage()
        except Exception:
            return True
        clean = self.redact(msg)
        if clean != msg:
            record.msg, record.args = clean, None
        if record.exc_info:  # a traceback quotes exception messages, URLs included
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text, record.exc_info = self.redact(text), None
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


def _spellings(secret: str) -> str:
    """A pattern for ``secret`` in every spelling a server may echo it: as is, or with any
    of its characters percent-encoded (UTF-8 or latin-1 bytes, hex digits in either case;
    a space also as ``+``), so ``p%2fw``, ``p%2Fw`` and ``p/w`` are one secret. A secret
    as written in a URL is remembered decoded too (:func:`remember_url_secrets`)."""
    out = []
    for ch in secret:
        alts = [re.escape(ch)]
        if ch == " ":
            alts.append(r"\+")
        for encoding in ("utf-8", "latin-1"):
            try:
                raw = ch.encode(encoding)
            except UnicodeEncodeError:
                continue
            alts.append("".join("%" + "".join(f"[{d}{d.lower()}]" if d.isalpha() else d
                                              for d in f"{b:02X}") for b in raw))
        unique = list(dict.fromkeys(alts))
        out.append(unique[0] if len(unique) == 1 else f"(?:{'|'.join(unique)})")
    return "".join(out)


REDACTOR = RedactFilter()
_REDACTED_LOGGERS = (
    "slacode.pull.prometheus", "slacode", "slacode.pull", "urllib3", "urllib3.connectionpool",
    "urllib3.connection", "urllib3.util.retry", "requests",
)
for _name in _REDACTED_LOGGERS:
    logging.getLogger(_name).addFilter(REDACTOR)


def redact(text: str) -> str:
    """``text`` without any credential this process has read from the environment."""
    return REDACTOR.redact(text)


def install_redaction(handler: logging.Handler) -> None:
    """Redact on a handler too: logger filters do not see records of child loggers."""
    if REDACTOR not in handler.filters:
        handler.addFilter(REDACTOR)



def remember(secret: str) -> None:
    """Redact ``secret`` from now on (in logs and in :func:`public_text`)."""
    REDACTOR.secrets.add(secret)


def remember_basic(user: str, password: str) -> None:
    """Basic auth credentials in every form a server may echo them back: the password
    (:func:`_spellings` covers its percent-encodings), ``user:password`` and the
    header's base64 of it. The user name alone is not a secret."""
    if password:
        REDACTOR.secrets.update({password, f"{user}:{password}"})
    if not (user or password):
        return
    for encoding in ("latin-1", "utf-8"):  # requests sends latin-1 when it can
        try:
            raw = f"{user}:{password}".encode(encoding)
        except UnicodeEncodeError:
            continue
        b64 = base64.b64encode(raw).decode("ascii")
        REDACTOR.secrets.update({b64, f"Basic {b64}"})


def remember_url_secrets(url: str) -> None:
    """``user:password@`` in the server's URL: requests sends it as basic auth, so the
    password is as secret as the password variable's, as written (percent-encoded) and
    decoded (:func:`_spellings` covers the other spellings). A user name alone
    (``https://reader@host``) is not a secret: it is not remembered as a word, which would
    garble every text that contains it; the URL's userinfo and the basic auth header it
    makes are still redacted (``RedactFilter``), as any URL's and header's are."""
    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        return
    userinfo, at, _host = netloc.rpartition("@")
    if not at or not userinfo:
        return
    user, colon, password = userinfo.partition(":")
    if colon and password:
        REDACTOR.secrets.update({userinfo, unquote(userinfo), password})
    remember_basic(unquote(user), unquote(password))



#: longest reason or warning passed on (a server's error text can be pages long)
MAX_TEXT = 400


def public_text(text: str) -> str:
    """Text that leaves the source (gap reasons, server warnings): what the server said
    may quote the credentials it was sent, so every such text passes here, redacted
    before it is shortened (a cut must not leave half a secret)."""
    if not text:
        return text
    text = redact(text)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1].rstrip() + "…"



def safe_url(url: str) -> str:
    """``url`` without its userinfo (``user:password@``): what a cache key may hold."""
    return re.sub(r"//[^/@]*@", "//", url)
