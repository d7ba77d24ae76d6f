"""The language's limit on the number of cohort periods a contract defines (PBR012).

Each literal is bounded where it is read (``syntax.limits``, ``syntax.literals``); this check
bounds what they make together: every period of every cohort rule (in any version) is measured
and paid on its own, so a few lines such as thirty quarterly cohorts over the whole calendar
would cost minutes per run for a contract no one could read.
"""

from __future__ import annotations

from collections.abc import Iterator

from pbrrules import rules
from pbrrules.errors import Diagnostic
from pbrrules.rules import periods
from pbrrules.syntax import limits


def check(contract: rules.Contract) -> Iterator[Diagnostic]:
    """A PBR012 at the cohort whose periods take the contract past ``limits.MAX_PERIODS``."""
    seen: set[tuple[str, str]] = set()
    for version in contract.versions:
        for cohort in version.rules.cohorts:
            for rule in cohort.periods:
                seen.update((cohort.name, w.label) for w in periods.windows(rule, None))
                if len(seen) > limits.MAX_PERIODS:
                    yield Diagnostic(
                        limits.CODE,
                        f"the contract defines more than {limits.MAX_PERIODS:,} cohort periods "
                        f"(by cohort '{cohort.name}')",
                        rule.span,
                        help=limits.HELP,
                        clause=cohort.clause,
                    )
                    return
