"""Stage 4: the ledger of frozen closed periods.

A closed period's results are written once as a human-readable record
(``ledger/<service>/<period>.json``); later evaluations that disagree are
restatement candidates, never silent overwrites.
"""

from __future__ import annotations
