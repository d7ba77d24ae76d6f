"""Name checks: every name used is declared (with "did you mean"), none is declared twice,
hurdles do not go round in a circle, and a lot file supplies every template parameter.

One mistake is one error: an unknown name used in five places is one PBR101 at its first use,
with the other places as notes ("also used here"); a duplicate, a wrong kind, a circle and a
template parameter left unset each point at the other declaration concerned as a note.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import assert_never

import attrs
from attrs import frozen

from pbrrules import rules
from pbrrules.errors import Diagnostic, Related, Span

Section = tuple[rules.VariationStart | None, Sequence[rules.Declaration]]

# Kinds of named declarations, as the contract's author calls them.
KINDS: dict[type, str] = {
    rules.Parameter: "parameter",
    rules.Cohort: "cohort",
    rules.Measure: "measure",
    rules.Comparison: "comparison",
    rules.Target: "target",
    rules.Term: "term",
    rules.Limit: "limit",
}


@frozen
class Use:
    """A name used somewhere: what kinds may stand there, and where it is."""

    name: str
    kinds: tuple[str, ...]
    span: Span
    clause: str | None


def declared(version: rules.Rules) -> dict[str, str]:
    """Name -> kind of every declaration in one version of the rules."""
    table: dict[str, str] = {}
    for group in (version.parameters, version.cohorts, version.measures, version.comparisons,
                  version.targets, version.terms, version.limits):
        for declaration in group:
            table.setdefault(declaration.name, KINDS[type(declaration)])
    return table


def check(
    contract: rules.Contract, source: rules.SourceFile, sections: Sequence[Section]
) -> Iterator[Diagnostic]:
    """Unknown and duplicate names, cycles, removals, and template parameters left unset."""
    yield from _duplicates(sections)
    yield from _one_per_name(_resolved(contract, sections))
    yield from _settings(contract, source, sections)


def _resolved(contract: rules.Contract, sections: Sequence[Section]) -> Iterator[Diagnostic]:
    """Each use of a name that is unknown or of the wrong kind, and each circle, by version."""
    previous: rules.Rules | None = None
    for version, (marker, declarations) in zip(contract.versions, _ordered(sections),
                                               strict=False):
        table = declared(version.rules)
        places = _declarations(version.rules)
        removed = {d.name for d in declarations if isinstance(d, rules.Removal)}
        for use in uses(version.rules):
            for problem in _resolve(use, table, places):
                if use.name in removed and marker is not None:
                    problem = attrs.evolve(problem, help=(
                        f"the variation '{marker.name}' removes '{use.name}'; re-declare this "
                        "declaration in the variation without it"))
                yield problem
        yield from _cycles(version.rules)
        for declaration in declarations:
            if isinstance(declaration, rules.Removal) and previous is not None:
                yield from _resolve(
                    Use(declaration.name, (_removal_kind(declaration),), declaration.span,
                        declaration.clause),
                    declared(previous),
                )
        previous = version.rules
    all_names = {name: kind for v in contract.versions for name, kind in declared(v.rules).items()}
    all_places = {n: sp for v in reversed(contract.versions)
                  for n, sp in _declarations(v.rules).items()}
    for example in contract.examples:
        for use in _example_uses(example):
            yield from _resolve(use, all_names, all_places)


def _one_per_name(problems: Iterator[Diagnostic]) -> Iterator[Diagnostic]:
    """Unknown names reported once each, at the first use, the other uses as notes; every
    other problem once (a version repeating the original's declaration repeats its problems)."""
    unknown: dict[str, Diagnostic] = {}
    others: dict[Diagnostic, None] = {}
    for problem in problems:
        name = problem.message.rsplit("'", 2)[-2] if problem.code == "PBR101" else None
        if name is None:
            others.setdefault(problem)
            continue
        first = unknown.get(name)
        if first is None:
            unknown[name] = problem
        elif problem.span != first.span and all(r.span != problem.span for r in first.related):
            note = Related(f"'{name}' is also used here", problem.span)
            unknown[name] = attrs.evolve(first, related=(*first.related, note))
    yield from unknown.values()
    yield from others


def _declarations(version: rules.Rules) -> dict[str, Span]:
    """Name -> where it is declared, in one version of the rules (the first declaration)."""
    table: dict[str, Span] = {}
    for group in (version.parameters, version.cohorts, version.measures, version.comparisons,
                  version.targets, version.terms, version.limits):
        for declaration in group:
            table.setdefault(declaration.name, declaration.span)
    return table


def _ordered(sections: Sequence[Section]) -> list[Section]:
    """Sections in the order their versions are built: the original, then by effective date."""
    later = sorted(sections[1:], key=lambda s: s[0].effective_from if s[0] else datetime.date.min)
    return [sections[0], *later]


def _removal_kind(removal: rules.Removal) -> str:
    return removal.kind


def _resolve(
    use: Use, table: dict[str, str], places: dict[str, Span] | None = None
) -> Iterator[Diagnostic]:
    kind = table.get(use.name)
    if kind in use.kinds:
        return
    wanted = " or ".join(use.kinds)
    if kind is not None:
        place = (places or {}).get(use.name)
        yield Diagnostic(
            "PBR102",
            f"'{use.name}' is a {kind}, but a {wanted} is needed here",
            use.span,
            help=_suggest(use, table) or f"name a {wanted}",
            clause=use.clause,
            related=(Related(f"the {kind} '{use.name}' is declared here", place),)
            if place is not None else (),
        )
        return
    close = _closest(use, table)
    place = (places or {}).get(close) if close else None
    yield Diagnostic(
        "PBR101",
        f"unknown {wanted} '{use.name}'",
        use.span,
        help=_suggest(use, table) or f"declare the {use.kinds[0]} '{use.name}' first",
        clause=use.clause,
        related=(Related(f"'{close}' is declared here", place),) if place else (),
    )


def _suggest(use: Use, table: dict[str, str]) -> str | None:
    close = _closest(use, table)
    return f"did you mean '{close}'?" if close else None


def _closest(use: Use, table: dict[str, str]) -> str | None:
    """The declared name of a kind that fits ``use`` spelt most like it, if one is close."""
    candidates = sorted(name for name, kind in table.items() if kind in use.kinds)
    close = difflib.get_close_matches(use.name, candidates, n=1, cutoff=0.6)
    return close[0] if close else None


def uses(version: rules.Rules) -> Iterator[Use]:
    """Every name one version of the rules uses, with the kinds that may stand there."""
    for measure in version.measures:
        yield Use(measure.cohort, ("cohort",), measure.cohort_span, measure.clause)
        if measure.adjustment is not None:
            yield from _ref(measure.adjustment.baseline_predicted, measure.clause)
    for comparison in version.comparisons:
        if comparison.estimate is not None:
            estimate = comparison.estimate
            yield Use(estimate.cohort, ("cohort",), estimate.cohort_span, comparison.clause)
            for part in estimate.parts:
                yield from _ref(part.weight, comparison.clause)
            continue
        yield Use(comparison.measure, ("measure",), comparison.measure_span, comparison.clause)
        if not isinstance(comparison.comparator, rules.ControlGroup):
            yield from _ref(comparison.comparator, comparison.clause)
    for target in version.targets:
        if target.comparison:
            yield Use(target.comparison, ("comparison",), target.comparison_span, target.clause)
        yield from _ref(target.threshold, target.clause)
        if target.significance is not None:
            yield from _ref(target.significance.level, target.clause)
            yield from _ref(target.significance.critical_value, target.clause)
    for term in version.terms:
        yield from _trigger_uses(term.when, term.clause)
        yield from _amount_uses(term.amount, term.clause)
        yield from _ref(term.improvement_cap, term.clause)
    for limit in version.limits:
        spans = limit.term_spans or (limit.span,) * len(limit.terms)
        for name, span in zip(limit.terms, spans, strict=False):
            yield Use(name, ("term",), span, limit.clause)
        yield from _ref(limit.amount, limit.clause)
        if limit.investor_return is not None:
            yield from _ref(limit.investor_return.rate, limit.clause)
        for key in limit.order:
            if key.kind == "cohort":
                yield Use(key.name, ("cohort",), key.span, limit.clause)


def _ref(ref: rules.ValueRef | None, clause: str | None) -> Iterator[Use]:
    if isinstance(ref, rules.Name):
        yield Use(ref.name, ("parameter",), ref.span, clause)


def _trigger_uses(trigger: rules.Trigger | None, clause: str | None) -> Iterator[Use]:
    match trigger:
        case None:
            return
        case rules.TargetMet(target=name, span=span):
            yield Use(name, ("target",), span, clause)
        case rules.TermPays(term=name, span=span):
            yield Use(name, ("term",), span, clause)
        case rules.TriggerAll(left=left, right=right) | rules.TriggerAny(left=left, right=right):
            yield from _trigger_uses(left, clause)
            yield from _trigger_uses(right, clause)
        case rules.TriggerNot(operand=operand):
            yield from _trigger_uses(operand, clause)
        case _:
            assert_never(trigger)


def _amount_uses(amount: rules.Amount, clause: str | None) -> Iterator[Use]:
    match amount:
        case rules.Fixed(amount=ref) | rules.PerOffender(price=ref):
            yield from _ref(ref, clause)
        case rules.PerUnitOf(price=price, comparison=comparison, comparison_span=span):
            yield from _ref(price, clause)
            yield Use(comparison, ("comparison",), span, clause)
        case rules.ShareOfValue(share=share, of=of, span=span):
            yield from _ref(share, clause)
            yield Use(of, ("parameter",), span, clause)
        case rules.Banded(comparison=comparison, bands=bands, comparison_span=span):
            yield Use(comparison, ("comparison",), span, clause)
            for band in bands:
                yield from _ref(band.lower, clause)
                yield from _ref(band.upper, clause)
                yield from _amount_uses(band.amount, clause)
        case rules.PerCounted(price=price, measure=measure, measure_span=span):
            yield from _ref(price, clause)
            yield Use(measure, ("measure",), span, clause)
        case rules.SavingsShare(comparison=comparison, valued_at=valued_at, shares=shares,
                                comparison_span=span):
            yield Use(comparison, ("comparison",), span, clause)
            yield from _ref(valued_at, clause)
            for share_band in shares:
                yield from _ref(share_band.share, clause)
                yield from _ref(share_band.lower, clause)
                yield from _ref(share_band.upper, clause)
        case _:
            assert_never(amount)


def _example_uses(example: rules.Example) -> Iterator[Use]:
    for given in example.givens:
        if isinstance(given, rules.GivenValue):
            yield Use(given.name, ("parameter", "measure"), given.span, example.clause)
        elif isinstance(given, rules.GivenImpact):
            continue  # impact names are the data's (PBR225 checks them against the comparisons)
        else:
            if given.cohort is not None:
                yield Use(given.cohort, ("cohort",), given.span, example.clause)
            if given.measure is not None:
                yield Use(given.measure, ("measure",), given.measure_span, example.clause)
    for expectation in example.expectations:
        if expectation.subject is None:
            continue
        kinds = {
            "pays": ("term",),
            "met": ("target", "term"),
            "not met": ("target", "term"),
            "not assessable": ("term", "target", "measure", "comparison"),
            "equals": ("measure", "comparison"),
        }[expectation.kind]
        yield Use(expectation.subject, kinds, expectation.span, example.clause)
        yield from _ref(expectation.value, example.clause)


def _duplicates(sections: Sequence[Section]) -> Iterator[Diagnostic]:
    """A name declared twice in one section (a variation may re-declare the original's)."""
    for _, declarations in sections:
        seen: dict[str, rules.Declaration] = {}
        for declaration in declarations:
            if type(declaration) not in KINDS:
                continue
            name = declaration.name  # type: ignore[union-attr]  # every KINDS type has a name
            first = seen.get(name)
            if first is None:
                seen[name] = declaration
                continue
            yield Diagnostic(
                "PBR103",
                f"'{name}' is declared twice",
                declaration.span,
                help=f"the first {KINDS[type(first)]} '{name}' is at line {first.span.line}"
                + (f" of {first.span.source}" if first.span.source != declaration.span.source
                   else "")
                + "; give this one another name, or change a template's value with 'set'",
                related=(Related(f"'{name}' is first declared here", first.span),),
            )


def _cycles(version: rules.Rules) -> Iterator[Diagnostic]:
    """``term a: when term b pays`` and ``term b: when term a pays`` can never be decided."""
    edges = {term.name: [u.name for u in _trigger_uses(term.when, None) if u.kinds == ("term",)]
             for term in version.terms}
    waits = {term.name: {u.name: u.span for u in _trigger_uses(term.when, None)
                         if u.kinds == ("term",)} for term in version.terms}
    reported: set[str] = set()
    for term in version.terms:
        path = _find_cycle(term.name, edges, [])
        if path and term.name not in reported:
            reported.update(path)
            steps = list(zip(path, [*path[1:], path[0]], strict=True))
            yield Diagnostic(
                "PBR104",
                "terms depend on each other in a circle: " + " -> ".join([*path, path[0]]),
                term.span,
                help="a hurdle must lead to a term that does not depend on this one",
                clause=term.clause,
                related=tuple(Related(f"'{a}' waits for '{b}' here", waits[a][b])
                              for a, b in steps if b in waits.get(a, {})),
            )


def _find_cycle(name: str, edges: dict[str, list[str]], path: list[str]) -> list[str] | None:
    if name in path:
        return path[path.index(name):]
    for follower in edges.get(name, []):
        found = _find_cycle(follower, edges, [*path, name])
        if found:
            return found
    return None


def _template_note(source: rules.SourceFile, name: str) -> tuple[Related, ...]:
    """A note at the top of the template a lot file is based on, which declares no ``name``."""
    template = source.header.based_on
    if template is None:
        return ()
    path = str(Path(source.path).parent / template) if source.path else template
    return (Related(f"the template '{template}' declares no parameter '{name}'",
                    Span(1, 1, 1, 1, path)),)


def _settings(
    contract: rules.Contract, source: rules.SourceFile, sections: Sequence[Section]
) -> Iterator[Diagnostic]:
    """``set`` names a declared parameter; a contract leaves no parameter without a value."""
    params_so_far: dict[str, Span] = {}
    for _, declarations in sections:
        for declaration in declarations:
            if isinstance(declaration, rules.Parameter):
                params_so_far.setdefault(declaration.name, declaration.span)
            elif isinstance(declaration, rules.SetValue) and declaration.name not in params_so_far:
                close = difflib.get_close_matches(declaration.name, sorted(params_so_far), n=1)
                yield Diagnostic(
                    "PBR105",
                    f"'set' names '{declaration.name}', which no template or earlier line declares",
                    declaration.span,
                    help=f"did you mean '{close[0]}'?" if close else
                    "declare it with 'parameter NAME: TYPE', or check the template",
                    related=(Related(f"the parameter '{close[0]}' is declared here",
                                     params_so_far[close[0]]),) if close else
                    _template_note(source, declaration.name),
                )
    if source.header.kind != "contract":
        return
    for version in contract.versions:
        missing = [p for p in version.rules.parameters if not p.has_value]
        for parameter in missing:
            yield Diagnostic(
                "PBR106",
                f"the template parameter '{parameter.name}' has no value in this contract",
                source.header.span,
                help=f"add: set {parameter.name} = ... ({parameter.type})",
                clause=parameter.clause,
                related=(Related("the template declares it here, without a value",
                                 parameter.span),),
            )
        if missing:
            return
