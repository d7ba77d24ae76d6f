"""Contract text -> Contract: parse, build, resolve templates and variations, check.

``compile_contract`` raises ``ContractError`` once, carrying every problem found in every file
involved (the lot file, its template, its variation files). A lot file that says
``based on "template.pbr"`` starts from the template's declarations and supplies its parameters
with ``set``; a variation (a section of a file, or a file named by ``amended by``) replaces
declarations of the same name for cohorts whose period starts on or after its date.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path, PurePath
from typing import Any, assert_never

import attrs

from pbrrules import rules
from pbrrules.checks import check, without_follow_ons
from pbrrules.compiler.build import build
from pbrrules.compiler.fold import fold
from pbrrules.errors import ContractError, Diagnostic, Span
from pbrrules.syntax.parser import parse

#: Reads a file named by ``based on`` / ``amended by``: (path) -> text; raises OSError.
Loader = Callable[[str], str]


#: The largest contract file read, in bytes. Real schedules are a few kilobytes (the largest
#: bundled one is under 20 KB); a larger file (or /dev/zero) is refused, not read into memory.
MAX_FILE_BYTES = 1 << 20


def _read(path: str) -> str:
    """A contract file's text. Only a regular file of at most ``MAX_FILE_BYTES`` is read: it is
    opened without waiting (a pipe would block for ever) and checked before any byte is read,
    so a folder, a device or a pipe is refused with its reason (an ``OSError``)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a folder, a device or a pipe)")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise OSError(errno.EFBIG, f"larger than {MAX_FILE_BYTES:,} bytes, the most read")
    return data.decode("utf-8-sig")


def _outside(name: str, by: str, root: str) -> str | None:
    """Why ``name`` (named in the file ``by``) is not a file of the contract's folder ``root``,
    or None. Contract files name their templates and variations by relative paths that stay in
    the folder of the contract being compiled (or below it): an absolute path, a '..' or a link
    leading out would let a contract read, and a message echo, any file on the machine."""
    parts = PurePath(name).parts
    if PurePath(name).is_absolute() or name.startswith("~"):
        return "an absolute path; name a file in the contract's folder by a relative path"
    if ".." in parts:
        return "'..' leads out of the contract's folder"
    target = os.path.realpath(Path(by).parent / name)
    folder = os.path.realpath(root)
    if os.path.commonpath([target, folder]) != folder:
        return "it leads out of the contract's folder (through a link)"
    return None


def compile_file(path: str | Path, loader: Loader | None = None) -> rules.Contract:
    """Compile the contract in ``path`` (and any template or variation files it names)."""
    path = str(path)
    read = loader or _read
    try:
        text = read(path)
    except (OSError, UnicodeDecodeError) as exc:
        diagnostic = Diagnostic(
            "PBR010", f"cannot read {path}: {_reason(exc)}", Span(1, 1, 1, 1, path)
        )
        raise ContractError([diagnostic], {path: ""}) from None
    return compile_contract(text, path, loader=read)


def compile_contract(
    text: str, path: str = "<contract>", loader: Loader | None = None
) -> rules.Contract:
    """Compile contract text; raise ContractError listing every problem found."""
    session = _Session(loader or _read)
    contract = session.compile(text, path)
    errors = [d for d in session.problems if d.severity == "error"]
    if errors or contract is None:
        raise ContractError(_sorted(without_follow_ons(session.problems)), session.sources)
    return attrs.evolve(contract, warnings=tuple(_sorted(session.problems)))


def load_source(text: str, path: str = "<contract>") -> rules.SourceFile:
    """Parse and build one file on its own (no template or variation files): for ``fmt``."""
    source, problems = build(parse(text, path), path, text)
    if problems:
        raise ContractError(problems, {path: text})
    return source


@functools.lru_cache(maxsize=64)
def _built(text: str, path: str) -> tuple[rules.SourceFile, tuple[Diagnostic, ...]]:
    """One file parsed and built; remembered, since 21 lot files read the same template.

    The result is immutable and depends only on the text and its path, so sharing it between
    compilations (and threads) is safe.
    """
    source, problems = build(parse(text, path), path, text)
    return source, tuple(problems)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "it is not UTF-8 text"
    return getattr(exc, "strerror", None) or str(exc)


def _sorted(problems: Sequence[Diagnostic]) -> list[Diagnostic]:
    """Problems in file and line order, each once."""
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda d: (d.span.source, d.span.line, d.span.column, d.code))


class _Session:
    """One compilation: the files read so far and every problem found in them."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader
        self.sources: dict[str, str] = {}
        self.problems: list[Diagnostic] = []
        #: The folder every file named by the contract must be in (that of the file compiled).
        self.root = "."

    def compile(self, text: str, path: str) -> rules.Contract | None:
        self.root = str(Path(path).parent)
        source = self._source(text, path)
        if source is None:
            return None
        if source.header.kind == "variation":
            return self._variation_alone(source)
        base = self._with_template(source, chain=(path,))
        if base is None:
            return None
        sections = list(_sections(base))
        for amendment in source.header.amended_by:
            sections.extend(self._variation_file(amendment, source))
        return self._finish(base, sections)

    def _variation_alone(self, variation: rules.SourceFile) -> rules.Contract | None:
        """A variation file checked on its own: applied to the file it amends."""
        header = variation.header
        amended = self._load(header.amends or "", variation, header.span)
        if amended is None:
            return None
        if os.path.normpath(amended.path) == os.path.normpath(variation.path):
            self.problems.append(
                Diagnostic("PBR107", f"{header.amends!r} amends itself", header.span,
                           help="a variation names the contract or template it changes")
            )
            return None
        if amended.header.kind == "variation":
            self.problems.append(
                Diagnostic(
                    "PBR009",
                    f"{header.amends!r} is a variation, not a contract or template",
                    header.span,
                    help="a variation names the contract or template it changes; "
                    "variations of one contract each amend it",
                )
            )
            return None
        base = self._with_template(amended, chain=(amended.path,))
        if base is None:
            return None
        sections = list(_sections(base))
        sections.extend(self._variation_file(variation.path, None, variation))
        return self._finish(base, sections)

    def _finish(
        self,
        base: rules.SourceFile,
        sections: list[tuple[rules.VariationStart | None, list[rules.Declaration]]],
    ) -> rules.Contract | None:
        if self.problems:
            return None
        contract, problems = _assemble(base.header, sections, self.sources)
        self.problems.extend(problems)
        self.problems.extend(check(contract, base, sections))
        return contract

    def _source(self, text: str, path: str) -> rules.SourceFile | None:
        self.sources[path] = text
        try:
            source, problems = _built(text, path)
        except ContractError as exc:
            self.problems.extend(exc.diagnostics)
            return None
        self.problems.extend(problems)
        return source if not problems else None

    def _load(self, name: str, by: rules.SourceFile, span: Span) -> rules.SourceFile | None:
        path = str(Path(by.path).parent / name) if by.path else name
        try:
            outside = _outside(name, by.path or "", self.root)
            if outside is not None:
                raise OSError(errno.EACCES, outside)
            text = self.loader(path)
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(
                Diagnostic(
                    "PBR010",
                    f"cannot read {name!r}: {_reason(exc)}",
                    span,
                    help="file names are relative to the folder of the file that names them",
                )
            )
            return None
        return self._source(text, path)

    def _with_template(
        self, source: rules.SourceFile, chain: tuple[str, ...]
    ) -> rules.SourceFile | None:
        """The file with its template's declarations in front (a lot file), or itself."""
        header = source.header
        if header.based_on is None:
            return source
        template = self._load(header.based_on, source, header.span)
        if template is None:
            return None
        if template.path in chain:
            self.problems.append(
                Diagnostic("PBR107", f"{header.based_on!r} is based on itself", header.span,
                           help="a template cannot be based on the file that uses it")
            )
            return None
        if template.header.kind != "template":
            self.problems.append(
                Diagnostic(
                    "PBR009",
                    f"{header.based_on!r} is a {template.header.kind}, not a template",
                    header.span,
                    help="'based on' names a file that starts with: template \"...\"",
                )
            )
            return None
        merged_header = _merge_headers(template.header, header)
        # The lot's own lines before any variation of its own belong to the contract as let,
        # even when the template goes on with variations: a lot's 'set' holds from the start.
        template_head, template_tail = _split_at_variation(template.declarations)
        lot_head, lot_tail = _split_at_variation(source.declarations)
        declarations = (*template_head, *lot_head, *template_tail, *lot_tail)
        return rules.SourceFile(merged_header, declarations, path=source.path)

    def _variation_file(
        self, name: str, by: rules.SourceFile | None, loaded: rules.SourceFile | None = None
    ) -> Iterator[tuple[rules.VariationStart | None, list[rules.Declaration]]]:
        variation = loaded
        if variation is None and by is not None:
            variation = self._load(name, by, by.header.span)
        if variation is None:
            return
        header = variation.header
        if header.kind != "variation" or header.effective_from is None:
            self.problems.append(
                Diagnostic(
                    "PBR009",
                    f"{name!r} is not a variation with an effective date",
                    (by or variation).header.span,
                    help="a variation file starts: variation \"NAME\" amends \"FILE\" "
                    "effective for cohorts from YYYY-MM-DD",
                )
            )
            return
        if by is not None and not _amends(variation, by):
            self.problems.append(
                Diagnostic(
                    "PBR009",
                    f"{name!r} amends {header.amends!r}, which is neither this contract nor its "
                    "template",
                    by.header.span,
                    help="name the variation written for this contract, or correct its 'amends'",
                )
            )
            return
        start = rules.VariationStart(header.name, header.effective_from, header.clause, header.span)
        for index, (marker, declarations) in enumerate(_sections(variation)):
            if index == 0:
                yield start, declarations
            else:
                yield marker, declarations


def _amends(variation: rules.SourceFile, contract: rules.SourceFile) -> bool:
    """Whether a variation file amends ``contract`` or the template it is based on."""
    def resolve(name: str, relative_to: str) -> str:
        return os.path.normpath(Path(relative_to).parent / name)

    amended = resolve(variation.header.amends or "", variation.path)
    candidates = {os.path.normpath(contract.path)}
    if contract.header.based_on:
        candidates.add(resolve(contract.header.based_on, contract.path))
    return amended in candidates


def _split_at_variation(
    declarations: Sequence[rules.Declaration],
) -> tuple[tuple[rules.Declaration, ...], tuple[rules.Declaration, ...]]:
    """The declarations before the first ``variation`` line, and the rest."""
    for index, declaration in enumerate(declarations):
        if isinstance(declaration, rules.VariationStart):
            return tuple(declarations[:index]), tuple(declarations[index:])
    return tuple(declarations), ()


def _merge_headers(template: rules.Header, lot: rules.Header) -> rules.Header:
    """The lot's header, with what it leaves out taken from the template."""
    changes = {
        name: getattr(template, name)
        for name in ("version", "payer", "provider", "currency", "contract_years_start", "clause",
                     "illustrative")
        if getattr(lot, name) is None
    }
    return attrs.evolve(lot, **changes)


def _sections(
    source: rules.SourceFile,
) -> Iterator[tuple[rules.VariationStart | None, list[rules.Declaration]]]:
    """The file's declarations cut at each ``variation`` line; the first section has no marker."""
    marker: rules.VariationStart | None = None
    current: list[rules.Declaration] = []
    for declaration in source.declarations:
        if isinstance(declaration, rules.VariationStart):
            yield marker, current
            marker, current = declaration, []
        else:
            current.append(declaration)
    yield marker, current


def _effective(section: tuple[rules.VariationStart | None, Sequence[rules.Declaration]]) -> Any:
    marker = section[0]
    assert marker is not None, "every section after the first starts at a variation line"
    return marker.effective_from


def _assemble(
    header: rules.Header,
    sections: Sequence[tuple[rules.VariationStart | None, Sequence[rules.Declaration]]],
    sources: dict[str, str],
) -> tuple[rules.Contract, list[Diagnostic]]:
    """Versions from sections: the first is the contract as let, each later one a variation;
    with any problem met working out formulas (each reported once)."""
    ordered = [sections[0], *sorted(sections[1:], key=_effective)]
    versions: list[rules.Version] = []
    problems: list[Diagnostic] = []
    current = _apply(rules.Rules(), ordered[0][1])
    folded, found = fold(current)
    problems.extend(found)
    versions.append(rules.Version(header.name, None, folded, header.clause))
    for marker, declarations in ordered[1:]:
        assert marker is not None, "only the first section has no variation line"
        current = _apply(current, declarations)
        folded, found = fold(current)
        problems.extend(p for p in found if p not in problems)
        versions.append(rules.Version(marker.name, marker.effective_from, folded, marker.clause))
    examples = tuple(d for _, decls in sections for d in decls if isinstance(d, rules.Example))
    digest = hashlib.sha256()
    for path in sorted(sources):
        digest.update(sources[path].encode("utf-8"))
    contract = rules.Contract(
        header=header,
        versions=tuple(versions),
        examples=examples,
        source_hash="sha256:" + digest.hexdigest(),
        sources=tuple(sorted(sources)),
    )
    return contract, problems


_FIELDS: dict[type, str] = {
    rules.Parameter: "parameters",
    rules.Cohort: "cohorts",
    rules.Measure: "measures",
    rules.Comparison: "comparisons",
    rules.Target: "targets",
    rules.Term: "terms",
    rules.Limit: "limits",
}


def _apply(base: rules.Rules, declarations: Sequence[rules.Declaration]) -> rules.Rules:
    """``base`` with each declaration added, or replacing the one of the same name."""
    current = base
    for declaration in declarations:
        match declaration:
            case rules.Rounding():
                current = attrs.evolve(current, rounding=declaration)
            case rules.SetValue():
                current = _set(current, declaration)
            case rules.Removal(kind=kind, name=name):
                field = {"term": "terms", "target": "targets", "limit": "limits",
                         "parameter": "parameters"}[kind]
                kept = tuple(d for d in getattr(current, field) if d.name != name)
                current = _replace(current, field, kept)
                if kind == "term":
                    current = _replace(current, "limits", _without_term(current.limits, name))
            case rules.Example() | rules.VariationStart():
                pass
            case (
                rules.Parameter() | rules.Cohort() | rules.Measure() | rules.Comparison()
                | rules.Target() | rules.Term() | rules.Limit()
            ):
                field = _FIELDS[type(declaration)]
                existing = getattr(current, field)
                replaced = [d for d in existing if d.name != declaration.name]
                if len(replaced) == len(existing):
                    current = _replace(current, field, (*existing, declaration))
                else:
                    kept = tuple(
                        declaration if d.name == declaration.name else d for d in existing
                    )
                    current = _replace(current, field, kept)
            case _:
                assert_never(declaration)
    return current


def _without_term(limits: tuple[rules.Limit, ...], term: str) -> tuple[rules.Limit, ...]:
    """Limits no longer naming a removed term; a limit that named only that term goes too."""
    kept = []
    for limit in limits:
        if term not in limit.terms:
            kept.append(limit)
        elif len(limit.terms) > 1:
            pairs = [(t, s) for t, s in zip(limit.terms, limit.term_spans or limit.terms,
                                            strict=False) if t != term]
            spans = tuple(s for _, s in pairs if isinstance(s, Span))
            kept.append(attrs.evolve(limit, terms=tuple(t for t, _ in pairs), term_spans=spans))
    return tuple(kept)


def _replace(current: rules.Rules, field: str, declarations: tuple[Any, ...]) -> rules.Rules:
    """``current`` with one of its tuples of declarations replaced."""
    changes: dict[str, Any] = {field: declarations}
    return attrs.evolve(current, **changes)


def _set(current: rules.Rules, value: rules.SetValue) -> rules.Rules:
    parameters = tuple(
        attrs.evolve(
            p,
            value=value.value,
            rows=value.rows,
            illustrative=value.illustrative or p.illustrative,
            clause=value.clause or p.clause,
            span=value.span,
        )
        if p.name == value.name
        else p
        for p in current.parameters
    )
    return attrs.evolve(current, parameters=parameters)
