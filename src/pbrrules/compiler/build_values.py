"""Build callbacks for the file header, parameters and values (see ``builder``).

The helpers here (spans, literal conversion, single-item lookup) are shared with the callbacks for
cohorts, measures and terms in ``build_rules``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any, TypeVar

import attrs
from attrs import frozen
from lark import Token, Transformer, v_args
from lark.tree import Meta

from pbrrules import rules
from pbrrules.errors import Diagnostic, Span
from pbrrules.syntax import limits, literals
from pbrrules.values import Duration, Quantity, Unit, Value

T = TypeVar("T")


@frozen
class Item:
    """One item of a declaration's body, before the declaration is assembled."""

    kind: str
    value: Any
    span: Span


def _token_span(token: Token, path: str) -> Span:
    return Span(
        token.line or 1,
        token.column or 1,
        token.end_line or token.line or 1,
        token.end_column or (token.column or 1) + len(str(token)),
        path,
    )


@v_args(inline=True, meta=True)
class BaseBuild(Transformer[Token, Any]):
    """Callbacks for the header, parameters and values, plus the helpers every callback uses."""

    def __init__(self, path: str, text: str = "") -> None:
        super().__init__()
        self.path = path
        self.source_text = text
        self.problems: list[Diagnostic] = []

    # -- helpers --------------------------------------------------------------------------------

    def _span(self, meta: Meta) -> Span:
        if meta.empty:
            return Span(1, 1, 1, 1, self.path)
        return Span(meta.line, meta.column, meta.end_line, meta.end_column, self.path)

    def _written(self, meta: Meta, value: Quantity) -> Quantity:
        """``value`` carrying the literal as written, so formatting keeps ``58.0%`` as it is."""
        if meta.empty or not self.source_text:
            return value
        written = " ".join(self.source_text[meta.start_pos : meta.end_pos].split())
        return attrs.evolve(value, text=written)

    def _tspan(self, token: Token) -> Span:
        return _token_span(token, self.path)

    def _problem(self, code: str, message: str, span: Span, help: str | None = None) -> None:
        self.problems.append(Diagnostic(code, message, span, help=help))

    def _literal(self, convert: Callable[[], T], span: Span, fallback: T) -> T:
        try:
            return convert()
        except literals.LiteralProblem as problem:
            self._problem(problem.code, problem.message, span, problem.help)
            return fallback

    def _int(self, token: Token) -> int:
        """A whole number written in the contract; an absurdly long one is reported (PBR005)."""
        value = self._literal(lambda: literals.number(str(token)), self._tspan(token), Fraction(0))
        return int(value)

    def _bounded(self, token: Token, most: int, what: str) -> int:
        """A whole number of at most ``most`` (the language's limit for ``what``; PBR012)."""
        value = self._int(token)
        return self._literal(lambda: literals.at_most(value, most, what), self._tspan(token), most)

    def _date(self, token: Token) -> datetime.date:
        return self._literal(
            lambda: literals.date(str(token)), self._tspan(token), datetime.date(1900, 1, 1)
        )

    def _single(self, items: Sequence[Item], kind: str, what: str, owner: str) -> Any:
        """The value of the item of ``kind``, reporting a repeat; None when absent."""
        found = [item for item in items if item.kind == kind]
        for repeat in found[1:]:
            self._problem(
                "PBR007",
                f"{owner} says {what} twice",
                repeat.span,
                help=f"keep one '{what}' line; the first is at line {found[0].span.line}",
            )
        return found[0].value if found else None

    def _unexpected_items(self, items: Sequence[Item], allowed: set[str], owner: str) -> None:
        for item in items:
            if item.kind not in allowed:
                self._problem(
                    "PBR008",
                    f"a {item.kind.replace('_', ' ')} line does not belong in {owner}",
                    item.span,
                    help=_MISPLACED_HELP.get(item.kind),
                )

    # -- file and header ------------------------------------------------------------------------

    def start(self, meta: Meta, header: rules.Header, *declarations: Any) -> rules.SourceFile:
        return rules.SourceFile(header, tuple(declarations), path=self.path)

    def header(self, meta: Meta, inner: rules.Header) -> rules.Header:
        return inner

    def contract_header(
        self, meta: Meta, name: Token, based_on: str | None, *items: Item
    ) -> rules.Header:
        return self._header("contract", meta, name, items, based_on=based_on)

    def template_header(self, meta: Meta, name: Token, *items: Item) -> rules.Header:
        return self._header("template", meta, name, items)

    def variation_header(
        self, meta: Meta, name: Token, amends: Token, *items: Item
    ) -> rules.Header:
        return self._header("variation", meta, name, items, amends=literals.unquote(amends))

    def _header(
        self,
        kind: Any,
        meta: Meta,
        name: Token,
        items: Sequence[Item],
        based_on: str | None = None,
        amends: str | None = None,
    ) -> rules.Header:
        owner = "the contract header"
        return rules.Header(
            kind=kind,
            name=literals.unquote(name),
            version=self._single(items, "version", "version", owner),
            payer=self._single(items, "payer", "payer", owner),
            provider=self._single(items, "provider", "provider", owner),
            currency=self._single(items, "currency", "currency", owner),
            contract_years_start=self._single(
                items, "contract_years_start", "contract years start", owner
            ),
            based_on=based_on,
            amended_by=tuple(item.value for item in items if item.kind == "amended_by"),
            amends=amends,
            effective_from=self._single(items, "effective_from", "effective for cohorts", owner),
            clause=self._single(items, "ref", "clause", owner),
            span=self._span(meta),
            illustrative=self._single(items, "illustrative", "illustrative", owner),
        )

    def based_on(self, meta: Meta, path: Token) -> str:
        return literals.unquote(path)

    def version(self, meta: Meta, text: Token) -> Item:
        return Item("version", literals.unquote(text), self._span(meta))

    def payer(self, meta: Meta, text: Token) -> Item:
        return Item("payer", literals.unquote(text), self._span(meta))

    def provider(self, meta: Meta, text: Token) -> Item:
        return Item("provider", literals.unquote(text), self._span(meta))

    def currency(self, meta: Meta, code: Token) -> Item:
        return Item("currency", str(code), self._span(meta))

    def contract_years_start(self, meta: Meta, date: Token) -> Item:
        return Item("contract_years_start", self._date(date), self._span(meta))

    def amended_by(self, meta: Meta, path: Token) -> Item:
        return Item("amended_by", literals.unquote(path), self._span(meta))

    def effective_from(self, meta: Meta, date: Token) -> Item:
        return Item("effective_from", self._date(date), self._span(meta))

    def header_ref(self, meta: Meta, ref: str) -> Item:
        return Item("ref", ref, self._span(meta))

    def clause_ref(self, meta: Meta, text: Token) -> str:
        if text.type == "STRING":
            # (clause "Schedule 4, para 3") is cited as written; (clause "4.2a") as clause 4.2a.
            written = literals.unquote(text)
            return written if written[:1].isalpha() else f"clause {written}"
        return " ".join(str(text).split())

    def source_ref(self, meta: Meta, text: Token) -> str:
        return f"source: {literals.unquote(text)}"

    # -- parameters -----------------------------------------------------------------------------

    def parameter(
        self,
        meta: Meta,
        name: Token,
        type_: rules.ParamType,
        keyed_by: rules.KeyKind | None,
        value: rules.Literal_ | rules.Name | tuple[tuple[str, rules.ValueRef], ...] | None,
        ref: str | None,
        *rows: Item,
    ) -> rules.Parameter:
        return rules.Parameter(
            name=str(name),
            type=type_,
            keyed_by=keyed_by,
            value=plain_value(value) if isinstance(value, rules.Literal_) else None,
            rows=tuple(row.value for row in rows if row.kind == "row"),
            formula=_formula(value),
            illustrative=self._single(rows, "illustrative", "illustrative", f"'{name}'"),
            clause=ref,
            span=self._span(meta),
        )

    def set_value(
        self, meta: Meta, name: Token, value: rules.Literal_ | None, ref: str | None, *rows: Item
    ) -> rules.SetValue:
        return rules.SetValue(
            name=str(name),
            value=plain_value(value),
            rows=tuple(row.value for row in rows if row.kind == "row"),
            illustrative=self._single(rows, "illustrative", "illustrative", f"'{name}'"),
            clause=ref,
            span=self._span(meta),
        )

    def removal(self, meta: Meta, kind: Any, name: Token, ref: str | None) -> rules.Removal:
        return rules.Removal(kind, str(name), ref, span=self._span(meta))

    def kind_term(self, meta: Meta) -> str:
        return "term"

    def kind_target(self, meta: Meta) -> str:
        return "target"

    def kind_limit(self, meta: Meta) -> str:
        return "limit"

    def kind_parameter(self, meta: Meta) -> str:
        return "parameter"

    def by_area(self, meta: Meta) -> str:
        return "area"

    def by_cohort(self, meta: Meta) -> str:
        return "cohort"

    def by_contract_year(self, meta: Meta) -> str:
        return "contract year"

    def row_key(self, meta: Meta, key: Token, value: rules.Literal_) -> Item:
        span = self._span(meta)
        return Item("row", rules.Row(value.value, key=literals.unquote(key), span=span), span)

    def row_year(self, meta: Meta, year: Token, value: rules.Literal_) -> Item:
        span = self._span(meta)
        return Item("row", rules.Row(value.value, year=self._int(year), span=span), span)

    def row_from(self, meta: Meta, date: Token, value: rules.Literal_) -> Item:
        span = self._span(meta)
        return Item("row", rules.Row(value.value, effective=self._date(date), span=span), span)

    def illustrative(self, meta: Meta, why: Token) -> Item:
        return Item("illustrative", literals.unquote(why), self._span(meta))

    def type_money(self, meta: Meta) -> str:
        return "money"

    def type_count(self, meta: Meta) -> str:
        return "count"

    def type_rate(self, meta: Meta) -> str:
        return "rate"

    def type_points(self, meta: Meta) -> str:
        return "percentage points"

    def type_percent(self, meta: Meta) -> str:
        return "percent"

    def type_number(self, meta: Meta) -> str:
        return "number"

    def type_date(self, meta: Meta) -> str:
        return "date"

    def type_duration(self, meta: Meta) -> str:
        return "duration"

    def type_text(self, meta: Meta) -> str:
        return "text"

    def type_flag(self, meta: Meta) -> str:
        return "yes/no"

    # -- values ---------------------------------------------------------------------------------

    def plus(self, meta: Meta, left: Any, right: rules.ValueRef) -> tuple[Any, ...]:
        return (*_terms(left), ("+", right))

    def minus(self, meta: Meta, left: Any, _minus: Token, right: rules.ValueRef) -> tuple[Any, ...]:
        return (*_terms(left), ("-", right))

    def name_ref(self, meta: Meta, name: Token) -> rules.Name:
        return rules.Name(str(name), span=self._tspan(name))

    def value(self, meta: Meta, inner: Value) -> rules.Literal_:
        if isinstance(inner, Quantity):
            inner = self._written(meta, inner)
        return rules.Literal_(inner, span=self._span(meta))

    def percentage(self, meta: Meta, amount: Fraction) -> rules.Literal_:
        written = self._written(meta, literals.percentage(amount))
        return rules.Literal_(written, span=self._span(meta))

    def points(self, meta: Meta, amount: Fraction, _word: Any) -> rules.Literal_:
        return rules.Literal_(self._written(meta, literals.points(amount)), span=self._span(meta))

    def plain_number(self, meta: Meta, amount: Fraction) -> rules.Literal_:
        return rules.Literal_(self._written(meta, literals.plain(amount)), span=self._span(meta))

    def date(self, meta: Meta, token: Token) -> rules.Literal_:
        return rules.Literal_(self._date(token), span=self._span(meta))

    def text(self, meta: Meta, token: Token) -> rules.Literal_:
        return rules.Literal_(literals.unquote(token), span=self._span(meta))

    def flag_value(self, meta: Meta, flag: bool) -> rules.Literal_:
        return rules.Literal_(flag, span=self._span(meta))

    def money(
        self, meta: Meta, minus: Token | None, sign: Token, amount: Fraction, million: Any
    ) -> Quantity:
        return literals.money(str(sign), amount, million is not None, minus is not None)

    def million(self, meta: Meta) -> bool:
        return True

    def number(self, meta: Meta, minus: Token | None, digits: Token) -> Fraction:
        return self._literal(
            lambda: literals.number(str(digits), minus is not None),
            self._span(meta),
            Fraction(0),
        )

    def whole(self, meta: Meta, digits: Token) -> int:
        value = self._literal(lambda: literals.number(str(digits)), self._span(meta), Fraction(1))
        if value.denominator != 1 or value < 1:
            self._problem("PBR005", f"{digits} is not a whole number of at least 1",
                          self._span(meta), help="write a whole number such as 1,000")
            return 1
        return int(value)

    def duration(self, meta: Meta, amount: Token, unit: str) -> Duration:
        count = self._bounded(amount, limits.MAX_DURATION[unit], unit)
        return Duration(count, unit)  # type: ignore[arg-type]  # unit is a DurationUnit

    def months(self, meta: Meta) -> str:
        return "months"

    def days(self, meta: Meta) -> str:
        return "days"

    def years(self, meta: Meta) -> str:
        return "years"

    def yes(self, meta: Meta) -> bool:
        return True

    def no(self, meta: Meta) -> bool:
        return False

    # The value rules wrap a Literal_ around the inner value; unwrap where a bare value is meant.
    def literal_text(self, meta: Meta, token: Token) -> str:
        return literals.unquote(token)

    def literal_number(self, meta: Meta, amount: Fraction) -> Quantity:
        return self._written(meta, literals.plain(amount))

    def literal_percentage(self, meta: Meta, amount: Fraction) -> Quantity:
        return self._written(meta, literals.percentage(amount))

    def literal_date(self, meta: Meta, token: Token) -> datetime.date:
        return self._date(token)

    def literal_flag(self, meta: Meta, flag: bool) -> bool:
        return flag


def _terms(value: Any) -> tuple[tuple[str, rules.ValueRef], ...]:
    return value if isinstance(value, tuple) else (("+", value),)


def _formula(value: object) -> tuple[tuple[Any, rules.ValueRef], ...]:
    """The signed terms of ``= a - b`` (a single name is a formula of one term)."""
    if isinstance(value, tuple):
        return value
    if isinstance(value, rules.Name):
        return (("+", value),)
    return ()


_MISPLACED_HELP = {
    "band": "band lines follow a 'pay by band of COMPARISON' line in the same term",
    "share_band": "share lines follow a 'pay share of savings in ...' line in the same term",
}


def plain_value(ref: rules.ValueRef | None) -> Value | None:
    """The value of a literal reference (parameters hold plain values, not references)."""
    if isinstance(ref, rules.Literal_):
        return ref.value
    return None


def percent_of(value: Value) -> Value:
    """A ``%`` literal read as a relative percent (used for significance levels)."""
    if isinstance(value, Quantity) and value.unit is Unit.PERCENTAGE:
        return value.with_unit(Unit.PERCENT)
    return value
