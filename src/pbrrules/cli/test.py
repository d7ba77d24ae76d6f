"""``pbr-eval test``: run the worked examples written in contracts, as a test runner.

Each failing expectation names the file and line it is written on; ``-k`` runs the examples
whose name holds a text; ``--junit-xml`` writes the results for a CI server; ``--coverage``
lists the measures, comparisons, targets, terms and caps no example pins down. Exit status 0
when every example run passed, 1 otherwise (or when a contract cannot be compiled).
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from attrs import frozen

from pbrrules import api
from pbrrules.cli.common import EXIT_OK, EXIT_PROBLEMS, contract_files, write_atomically
from pbrrules.errors import ContractError, Span
from pbrrules.example_coverage import coverage
from pbrrules.rules import Contract
from pbrrules.worked_examples import ExampleResult


def register(subparsers: Any) -> None:
    """Add the ``test`` command to ``pbr-eval``'s subparsers."""
    test = subparsers.add_parser(
        "test",
        help="run the worked examples written in contracts",
        description="Run every worked example (example ... given ... expect ...) in each "
        "contract and report each expectation; exit 1 if any fails.",
    )
    test.add_argument(
        "contracts", nargs="+", type=Path, metavar="CONTRACT",
        help="contract files, or folders to test every .pbr file in",
    )
    test.add_argument(
        "--verbose", "-v", action="store_true",
        help="show the derivation of passing expectations too",
    )
    test.add_argument(
        "-k", dest="keyword", metavar="TEXT",
        help="run only the examples whose name contains TEXT (ignoring case)",
    )
    test.add_argument(
        "--junit-xml", type=Path, metavar="FILE",
        help="also write the results to FILE as JUnit XML (one test case per example)",
    )
    test.add_argument(
        "--coverage", action="store_true",
        help="list the measures, comparisons, targets, terms and caps no example pins down",
    )  # fmt: skip
    test.set_defaults(func=test_command)


@frozen
class _Tested:
    """One contract file's examples as run."""

    path: Path
    results: tuple[ExampleResult, ...]


def test_command(args: argparse.Namespace) -> int:
    """``pbr-eval test CONTRACT...``."""
    tested: list[_Tested] = []
    broken = 0
    for path in contract_files(args.contracts):
        try:
            contract = api.load_contract(path)
        except ContractError as exc:
            print(exc.render() + "\n", file=sys.stderr)
            broken += 1
            continue
        print(f"{path}")
        every = api.run_examples(contract)
        results = tuple(r for r in every if _chosen(r, args.keyword))
        if not results:
            print("  no worked examples" + (f" matching -k {args.keyword!r}" if every else ""))
        for result in results:
            print(report_example(result, verbose=args.verbose))
        if args.coverage:
            print(_coverage_report(contract, every))
        tested.append(_Tested(path, results))
    passed = sum(r.passed for t in tested for r in t.results)
    failed = sum(not r.passed for t in tested for r in t.results)
    if args.junit_xml is not None:
        write_atomically(args.junit_xml, junit_xml(tested))
    summary = f"{passed + failed} example(s): {passed} passed, {failed} failed"
    if broken:
        summary += f"; {broken} contract(s) could not be compiled (see above)"
    print(summary, file=sys.stderr if broken else sys.stdout)
    return EXIT_PROBLEMS if failed or broken else EXIT_OK


def _chosen(result: ExampleResult, keyword: str | None) -> bool:
    return keyword is None or keyword.casefold() in result.example.name.casefold()


def report_example(result: ExampleResult, *, verbose: bool = False) -> str:
    """One example's outcome: a line for it, then one per expectation (with derivations); a
    failing expectation names the file and line it is written on."""
    mark = "PASS" if result.passed else "FAIL"
    lines = [f'  {mark} example "{result.example.name}"']
    if result.problem is not None:
        lines.append(f"       cannot run: {result.problem} ({_where(result.example.span)})")
    for check in result.results:
        if check.passed:
            lines.append(f"       ok   {check.expected}")
        else:
            lines.append(f"       FAIL {check.expected}  ({_where(check.expectation.span)})")
            lines.append(f"              actual: {check.actual}")
        if check.derivation and (verbose or not check.passed):
            lines.append(f"              because: {check.derivation}")
    return "\n".join(lines)


def _where(span: Span) -> str:
    """``file:line`` of a span (the file is the one the text was written in: a template's
    example names the template)."""
    return f"{span.source or '<contract>'}:{span.line}"


def _coverage_report(contract: Contract, results: tuple[ExampleResult, ...]) -> str:
    found = coverage(contract, results)
    lines = [f"  coverage: {found.summary()}"]
    lines += [f"    no example: {item.describe()}" for item in found.uncovered]
    return "\n".join(lines)


def junit_xml(tested: list[_Tested]) -> str:
    """The results as JUnit XML: a test suite per contract file, a test case per example, a
    failure (with expected, actual and why) per failing expectation."""
    suites = ET.Element("testsuites", name="pbr-eval test")
    for file in tested:
        failures = sum(not r.passed for r in file.results)
        suite = ET.SubElement(
            suites, "testsuite", name=str(file.path), tests=str(len(file.results)),
            failures=str(failures), errors="0",
        )  # fmt: skip
        for result in file.results:
            case = ET.SubElement(
                suite, "testcase", classname=str(file.path), name=result.example.name,
                file=result.example.span.source or str(file.path),
                line=str(result.example.span.line),
            )  # fmt: skip
            if result.problem is not None:
                failure = ET.SubElement(case, "failure", message="cannot run")
                failure.text = result.problem
            for check in result.results:
                if not check.passed:
                    where = _where(check.expectation.span)
                    failure = ET.SubElement(case, "failure", message=f"{check.expected} ({where})")
                    failure.text = f"actual: {check.actual}\nbecause: {check.derivation}"
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
