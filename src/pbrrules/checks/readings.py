"""Readings: warnings where a contract means something its author could be surprised by.

Nothing here stops a contract from compiling; ``pbr-eval check`` shows each as a warning with
the reading pbrrules takes (docs/language.md explains each with an example):

- PBR218: a trigger joins targets of two cohort rules (``when adult_threshold and
  youth_threshold``): each target is assessed on its own rule's unit of the same period and area,
  and the term is paid once, on the units of the first cohort rule it names.
- PBR219: payments rounded to more places than the currency has: a payment is rounded once, with
  the rule's mode, to the currency's minor unit (0.12449 is 0.12, never 0.1245 then 0.13).
- PBR220: a cap that names a deduction term (or a collar a paying one): caps count payments only
  and collars deductions only, so it never bounds that term, and a deduction gives no room back.
- PBR223: a limit on the lines of a party that neither the header nor any term names (a
  misspelt ``paid by "Salt Lake Couty"``): it covers no line, so it never bounds anything.
"""

from __future__ import annotations

from collections.abc import Iterator

from pbrrules import rules
from pbrrules.errors import Diagnostic
from pbrrules.values import minor_digits


def check(contract: rules.Contract) -> Iterator[Diagnostic]:
    """Every reading worth a warning, in every version of the rules."""
    currency = contract.header.currency or "GBP"
    for version in contract.versions:
        for term in version.rules.terms:
            yield from _joined_cohorts(version.rules, term)
        yield from _payment_places(version.rules, currency)
        yield from _limits_on_the_other_kind(version.rules)
        yield from _limits_on_unknown_parties(version.rules, contract.header)


def _joined_cohorts(version: rules.Rules, term: rules.Term) -> Iterator[Diagnostic]:
    cohorts = version.trigger_cohorts(term.when)
    if len(cohorts) < 2 or term.when is None:
        return
    names = " and ".join(f"'{c}'" for c in cohorts)
    yield Diagnostic(
        "PBR218",
        f"the trigger of '{term.name}' joins targets of the cohort rules {names}",
        term.when.span,
        help=f"each target is assessed on its own cohort rule's unit of the same period and "
        f"area (a period one rule lacks makes the trigger not assessable there); the term is "
        f"paid on the units of '{cohorts[0]}' only",
        clause=term.clause,
        severity="warning",
    )


def _payment_places(version: rules.Rules, currency: str) -> Iterator[Diagnostic]:
    rule = version.rounding.rule_for("payments") if version.rounding else None
    digits = minor_digits(currency)
    if rule is not None and rule.places > digits:
        yield Diagnostic(
            "PBR219",
            f"payments are rounded to {rule.places} decimal places, but {currency} has "
            f"{digits}",
            rule.span,
            help=f"a payment is rounded once, {rule.mode_written or rule.mode}, to the minor unit "
            f"(0.12449 is paid as 0.12, not 0.1245 and then 0.13); write: payments to {digits} "
            f"decimal places, {rule.mode_written or rule.mode}",
            clause=version.rounding.clause if version.rounding else None,
            severity="warning",
        )


def _limits_on_the_other_kind(version: rules.Rules) -> Iterator[Diagnostic]:
    for limit in version.limits:
        for name, span in zip(limit.terms, limit.term_spans or (limit.span,) * len(limit.terms),
                              strict=False):
            term = version.term(name)
            if term is None or term.deduction == (limit.kind == "collar"):
                continue
            what, bounds = ("deduction", "payments") if limit.kind == "cap" else (
                "payment", "deductions")
            yield Diagnostic(
                "PBR220",
                f"the {limit.kind} '{limit.name}' names '{name}', a {what}",
                span,
                help=f"a {limit.kind} bounds {bounds} only, so it never bounds '{name}' (and a "
                "deduction gives no room back under a cap); bound a deduction with a collar, a "
                "payment with a cap",
                clause=limit.clause,
                severity="warning",
            )


def _limits_on_unknown_parties(version: rules.Rules, header: rules.Header) -> Iterator[Diagnostic]:
    """PBR223: a limit on a party no line can have (neither the header's payer or provider,
    nor any term's ``paid by``/``paid to``)."""
    payers = {header.payer} | {term.payer for term in version.terms}
    payees = {header.provider} | {term.payee for term in version.terms}
    for limit in version.limits:
        party = limit.party
        if party is None:
            continue
        known = payers if party.role == "payer" else payees
        if party.name in known:
            continue
        named = sorted(name for name in known if name is not None)
        role = "payer" if party.role == "payer" else "payee"
        listed = ", ".join(f'"{name}"' for name in named) or "none"
        yield Diagnostic(
            "PBR223",
            f"the {limit.kind} '{limit.name}' covers what \"{party.name}\" "
            f"{'pays' if party.role == 'payer' else 'is paid'}, but no line has that {role}",
            party.span,
            help=f"the {role}s the contract names are: {listed}; a {limit.kind} on a {role} "
            "no line has bounds nothing",
            clause=limit.clause,
            severity="warning",
        )
