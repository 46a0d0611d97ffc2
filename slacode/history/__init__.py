"""Beside the pipeline: the git history of ``slas/`` (versions, change log, semantic diffs).

Feeds ``evaluate`` (the version in force in each period) and ``render`` (change history).
"""

from __future__ import annotations
