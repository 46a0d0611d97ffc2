"""PromQL checks, with a real parser (``promql-parser``, bindings to a maintained Rust
parser of the Prometheus grammar).

Why: an agreement's selectors are pasted into PromQL that slacode builds
(``sum(increase(SELECTOR[1d]))``), and the Prometheus source pools the expressions of
many agreements into one query. A selector that closes a parenthesis can rewrite the
query around it, including other agreements' parts. So a selector may only be what the
objective needs, a plain vector selector (:func:`selector_problem`, used by the loader
to refuse anything else at its line), and a pooled query is sent only when it parses
into exactly the parts it was built from (:func:`pooled_problem`, used by the source,
whatever got past the loader).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import promql_parser

#: string literals of PromQL: "..." and '...' with backslash escapes, `...` raw
_STRINGS = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`[^`]*`', re.S)
#: what a vector selector may hold outside its quoted values: a metric name, braces,
#: label names, matcher operators, commas and spaces. No comment (``#`` would hide the
#: rest of a pooled query's line), parenthesis, range, offset or ``@``.
_PLAIN = re.compile(r"[A-Za-z0-9_:{}=!~,\s]*")


def selector_problem(text: str, histogram: bool = False) -> str:
    """Why ``text`` is not a selector slacode can query, or "" when it is one.

    A selector is a plain vector selector: an optional metric name and label matchers
    (``=``, ``!=``, ``=~``, ``!~``), nothing else. The source adds the range, ``@`` and
    the functions itself. ``histogram``: the histogram's metric name, written first,
    with its matchers but without ``le`` (the objective's threshold picks the bucket).
    """
    body = text.strip()
    if not body:
        return "the selector is empty"
    outside = _STRINGS.sub(" ", body)
    if not _PLAIN.fullmatch(outside):
        odd = next(ch for ch in outside if not _PLAIN.fullmatch(ch))
        return (f"{odd!r} cannot appear in a selector: write a metric name and label "
                "matchers only, such as http_requests_total{job=\"api\",code!~\"5..\"}")
    try:
        expr = promql_parser.parse(body)
    except ValueError as exc:
        return f"not a valid PromQL selector: {exc}"
    if not isinstance(expr, promql_parser.VectorSelector):
        return "not a plain vector selector (a metric name and label matchers)"
    if expr.offset is not None or expr.at is not None:
        return "a selector cannot shift time (offset, @): slacode sets each interval itself"
    if expr.matchers.or_matchers:
        return "'or' between label matchers is not supported: write one selector per series set"
    names = [m.name for m in expr.matchers.matchers]
    if histogram:
        if not expr.name or not re.match(r"[A-Za-z_:]", body):
            return "a histogram needs its metric name first (without _bucket), then its labels"
        if "__name__" in names:
            return "a histogram's metric name is written before its labels, not as __name__"
        if "le" in names:
            return "a histogram selector cannot match 'le': the threshold picks the bucket"
    return ""


def pooled_problem(query: str, parts: Sequence[tuple[str, str]], label: str) -> str:
    """Why ``query`` is not exactly ``parts`` joined by ``or``, each labelled with
    ``label_replace(EXPR, label, NAME, "", "")``; "" when it is.

    Each part must parse on its own, and the whole query must parse into one ``or`` chain
    whose operands are those same trees in order: then no part's text reaches into
    another part (closing a parenthesis, commenting out the rest of the line, labelling
    its series as another part), however the text was written."""
    try:
        want = [str(promql_parser.parse(expr)) for _name, expr in parts]
    except ValueError as exc:
        return f"a part is not valid PromQL: {exc}"
    try:
        tree = promql_parser.parse(query)
    except ValueError as exc:
        return f"the pooled query is not valid PromQL: {exc}"
    operands: list[promql_parser.Expr] = []
    while isinstance(tree, promql_parser.BinaryExpr) and str(tree.op) == "or" and len(
        operands
    ) < len(parts):
        if tree.modifier is not None and (
            tree.modifier.matching is not None or tree.modifier.return_bool
        ):
            return "the pooled query joins its parts with a modified 'or'"
        operands.append(tree.rhs)
        tree = tree.lhs
    operands.append(tree)
    operands.reverse()
    if len(operands) != len(parts):
        return f"the pooled query has {len(operands)} parts instead of {len(parts)}"
    for operand, (name, _expr), expr_text in zip(operands, parts, want, strict=True):
        if not isinstance(operand, promql_parser.Call) or operand.func.name != "label_replace":
            return f"part {name} is not where it was put"
        args = operand.args
        literals = [getattr(a, "val", None) for a in args[1:]]
        if len(args) != 5 or literals != [label, name, "", ""]:
            return f"part {name} is not labelled as it was built"
        if str(args[0]) != expr_text:
            return f"part {name} does not parse as it does on its own"
    return ""
