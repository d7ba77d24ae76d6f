"""The HTML statement: a well-formed page that needs no network, escapes contract text, and is
the same bytes every time; and, where Chromium is installed, it renders to a screenshot.

The golden pages themselves are in tests/statements/ (tests/test_statements.py).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from tests.test_statements import RUNS, _statement

from pbrrules.render import render
from pbrrules.statement import ContractInfo, Statement

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
#: Attributes a browser follows to fetch something when the page is viewed.
FETCHED = {"src", "href", "srcset", "data", "poster", "action", "xlink:href"}


class _Checker(HTMLParser):
    """Well-formedness as far as a page needs it: every element closed, in order; and every
    attribute that would be fetched at view time."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []
        self.fetched: list[str] = []
        self.tags: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._fetched(tag, attrs)
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._fetched(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
            return
        self.open.pop()


    def _fetched(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """An attribute that points outside the page (a "#id" inside it is not fetched)."""
        self.fetched += [
            f"{tag} {name}={value}"
            for name, value in attrs
            if name in FETCHED and not (value or "").startswith("#")
        ]
        self.ids += [value for name, value in attrs if name == "id" and value]


def _checked(page: str) -> _Checker:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    return checker


@pytest.mark.parametrize("run", sorted(RUNS))
def test_every_bundled_page_is_well_formed_and_self_contained(run: str) -> None:
    page = render(_statement(run), "html")
    checker = _checked(page)
    assert page.startswith("<!DOCTYPE html>")
    assert checker.problems == []
    assert checker.open == []
    # nothing is fetched at view time: no src/href at all, no @import or url() in the CSS
    assert checker.fetched == []
    assert not re.search(r"@import|url\((?!#)", page)
    # ids are unique, so each chart's references point into that chart
    assert len(checker.ids) == len(set(checker.ids))
    # the charts are inline SVG
    assert "svg" in checker.tags


@pytest.mark.parametrize("run", sorted(RUNS))
def test_a_page_is_the_same_bytes_every_time(run: str) -> None:
    statement = _statement(run)
    assert render(statement, "html").encode() == render(statement, "html").encode()


def test_a_page_shows_the_parties_reference_hash_and_receipt() -> None:
    statement = _statement("doncaster")
    page = render(statement, "html")
    assert "Ministry of Justice" in page
    assert "Serco with Catch22 (the Alliance)" in page
    assert re.search(r"PBR-[0-9A-F]{16}", page)
    assert statement.contract.source_hash in page
    assert "2011-10-01 to 2015-09-30" in page
    assert statement.data is not None
    assert all(f.sha256 and f.sha256 in page for f in statement.data.files)
    assert "-£2,000,000.00" in page
    assert "Extract date</dt><dd>No extract date was given; the records run to 2015-04-29" in page
    assert "provisional: not yet due: cohort year 4 is final on 2017-03-30" in page


def test_a_page_shows_what_is_left_under_each_cap_and_names_as_words() -> None:
    page = render(_statement("tr-cumbria-lancashire"), "html")
    section = page.split("<h2>What is left under each cap</h2>", 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr><td>(.*?)</tr>", section, re.S)
    assert len(rows) == 2
    assert "contract year 1" in rows[0]
    assert re.search(r"£1,000,000\.00</td>\s*<td class=\"money\">£755,000\.00</td>"
                     r"<td class=\"money\">£245,000\.00", rows[0])
    assert "cap <strong>pbr pot cap</strong>" in rows[0]
    doncaster = render(_statement("doncaster"), "html")
    assert "target <strong>five points</strong>" in doncaster
    assert "five_points" not in re.sub(r"<svg.*?</svg>", "", doncaster, flags=re.S)
    assert "What is left under each cap" not in doncaster  # no cap, no section


def test_contract_text_is_escaped_not_read_as_markup() -> None:
    # GIVEN a statement whose contract text holds markup (names, parties, a clause)
    statement = _statement("doncaster")
    hostile = '<script>alert("x")</script> & <img src=http://evil.example/x.png>'
    contract = statement.contract
    changed = Statement(
        ContractInfo(hostile, contract.version, contract.source_hash, contract.sources,
                     contract.currency, ((("parameter", "p", hostile)),), hostile, hostile),
        statement.engine_version, statement.units, statement.years, statement.total,
        statement.data,
    )
    # WHEN it is rendered
    page = render(changed, "html")
    # THEN the text shows as text: no script element, no image to fetch
    checker = _checked(page)
    assert "script" not in checker.tags
    assert checker.fetched == []
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img" in page


def test_the_charts_print_no_float_of_a_figure() -> None:
    """Floats place the marks only: the exact displays are what the page prints, and no long
    binary-float expansion (0.5229999...) reaches the page."""
    page = render(_statement("tr-cumbria-lancashire"), "html")
    assert "41.7%" in page
    assert not re.search(r"\d\.\d*(9999|0000)\d", re.sub(r"<svg.*?</svg>", "", page, flags=re.S))


@pytest.mark.skipif(
    shutil.which("chromium") is None,
    reason="chromium is not on PATH: apt-get install chromium to render the pages "
    "(docs/statement.md, 'Checking the HTML in a browser')",
)
@pytest.mark.parametrize("run", sorted(RUNS))
def test_a_page_renders_in_headless_chromium(run: str, tmp_path: Path) -> None:
    page = tmp_path / f"{run}.html"
    page.write_text(render(_statement(run), "html"), encoding="utf-8")
    shot = tmp_path / f"{run}.png"
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--window-size=1100,3000", f"--screenshot={shot}", page.as_uri()],
        capture_output=True, timeout=120, check=True,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a blank page is a few kilobytes


def test_pdf_needs_an_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pbrrules.cli import main

    status = main(["run", "contracts/doncaster.pbr", "examples/doncaster", "--format", "pdf"])
    assert status == 1
    assert "--format pdf writes a binary file: give --output FILE.pdf" in capsys.readouterr().err


def test_pdf_is_the_page_laid_out_by_weasyprint(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint", reason="the pdf extra is not installed")
    from pbrrules.cli import main

    out = tmp_path / "doncaster.pdf"
    root = Path(__file__).parents[1]
    status = main(["run", str(root / "contracts/doncaster.pbr"), str(root / "examples/doncaster"),
                   "--format", "pdf", "--output", str(out)])
    assert status == 0
    assert out.read_bytes().startswith(b"%PDF-")


def test_the_command_loads_matplotlib_only_for_html() -> None:
    """Every command imports the renderers; matplotlib and Jinja2 (about half a second) are
    loaded only when a page is rendered."""
    import sys

    code = ("import sys, pbrrules.cli, pbrrules.api; "
            "print(sorted(m for m in ('matplotlib', 'jinja2', 'weasyprint') if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.strip()
    assert found == "[]"
