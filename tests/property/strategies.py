"""Hypothesis strategies that write valid contracts as text, in varied (not canonical) layout."""

from __future__ import annotations

from hypothesis import strategies as st

KEYWORDS = {
    "and",
    "or",
    "not",
    "is",
    "one",
    "of",
    "between",
    "term",
    "pays",
    "when",
    "unless",
    "pay",
    "deduct",
    "per",
    "band",
    "share",
    "from",
    "below",
    "up",
    "to",
    "by",
    "in",
    "at",
    "most",
    "all",
    "terms",
    "over",
    "the",
    "contract",
    "cohort",
    "control",
    "group",
    "yes",
    "no",
    "million",
    "percentage",
    "points",
    "point",
    "pp",
    "percent",
    "offender",
    "offenders",
    "reoffender",
    "reoffence",
    "event",
    "avoided",
    "counting",
    "improvement",
    "savings",
    "valued",
    "year",
    "years",
    "month",
    "months",
    "day",
    "days",
    "for",
    "each",
    "significant",
}
names = st.from_regex(r"[a-z][a-z0-9_]{1,10}", fullmatch=True).filter(lambda s: s not in KEYWORDS)
space = st.sampled_from([" ", " ", "  ", "\t"])
comment = st.from_regex(r"(//|#)[ a-zA-Z0-9£%.,()'-]{0,30}", fullmatch=True)


def _decimal(draw: st.DrawFn, low: int, high: int, places: int) -> str:
    whole = draw(st.integers(low, high))
    if places and draw(st.booleans()):
        return f"{whole}.{draw(st.integers(0, 10**places - 1)):0{places}d}"
    return str(whole)


@st.composite
def money(draw: st.DrawFn) -> str:
    amount = draw(st.integers(0, 5_000_000))
    pence = draw(st.sampled_from(["", "", f".{draw(st.integers(0, 99)):02d}"]))
    grouped = f"{amount:,}" if draw(st.booleans()) else str(amount)
    return f"£{grouped}{pence}"


@st.composite
def rate(draw: st.DrawFn) -> str:
    return f"{_decimal(draw, 0, 99, 2)}%"


@st.composite
def points(draw: st.DrawFn) -> str:
    word = draw(st.sampled_from(["pp", " pp", " percentage points", " percentage point"]))
    return f"{_decimal(draw, 0, 20, 1)}{word}"


@st.composite
def condition(draw: st.DrawFn, depth: int = 0) -> str:
    # each column is compared with values of one kind (its prefix), as check requires (PBR230)
    column = draw(names)
    text, number, flag = f"t_{column}", f"n_{column}", f"f_{column}"
    atoms = [
        f'{text} is "{draw(names)}"',
        f'{text} is not "{draw(names)}"',
        f'{text} is one of "{draw(names)}", "{draw(names)}"',
        f"{number} < {draw(st.integers(0, 99))}",
        f"{number} between {draw(st.integers(0, 20))} and {draw(st.integers(21, 99))}",
        flag,
    ]
    atom = draw(st.sampled_from(atoms))
    if depth >= 2 or draw(st.booleans()):
        return atom
    right = draw(condition(depth + 1))
    joined = draw(st.sampled_from(["and", "or"]))
    text = f"{atom} {joined} {right}"
    wrap = draw(st.sampled_from(["", "not ", "("]))
    return f"not ({text})" if wrap == "not " else f"({text})" if wrap == "(" else text


ESTIMATES = [
    "",
    "comparison {name}: estimated impact on {cohort} in relative percent as 80% of rct"
    " + 20% of did",
    "comparison {name} (clause 5.3): estimated impact on {cohort} in percentage points as rct,"
    " higher is better",
]
LIMIT_PARTIES = ["", ' paid by "County"', ' paid to "Fund"']
RETURNS = ["", " plus 12.5% a year for 4 years", " plus 5% a year compounded for 2 years"]


@st.composite
def contracts(draw: st.DrawFn) -> str:
    """A valid contract with one cohort, two measures, comparisons, targets, terms, limits."""
    used: set[str] = set()

    def fresh() -> str:
        name = draw(names.filter(lambda n: n not in used))
        used.add(name)
        return name

    sp = draw(space)
    cohort, binary, freq = fresh(), fresh(), fresh()
    change, freq_change, target, freq_target = fresh(), fresh(), fresh(), fresh()
    baseline, price, reward, second = fresh(), fresh(), fresh(), fresh()
    direction = draw(st.sampled_from(["", "  higher is better", "  lower is better"]))
    reward_amount = draw(
        st.sampled_from(
            [
                f"  pay {price} per percentage point of {change}",
                f"  pay {draw(money())}",
                f"  deduct 10% of {price}",
                f"  pay by band of {change}\n  band below 3pp: £0\n  band from 3pp below 5pp: "
                f"{draw(money())}\n  band from 5pp: {draw(money())}",
            ]
        )
    )
    trigger = draw(st.sampled_from(["when", "unless"]))
    word = draw(st.sampled_from(["reduction", "increase"]))
    if trigger == "when" and "per percentage point" in reward_amount:
        # a reward per point of improvement needs a target met by an improvement (PBR221)
        word = "increase" if "higher" in direction else "reduction"
    lines = [
        draw(comment),
        f'contract{sp}"{draw(names)} contract"',
        f'  version "{draw(st.integers(1, 9))}.{draw(st.integers(0, 9))}"',
        "  currency GBP",
        f"  contract years start 20{draw(st.integers(10, 19))}-0{draw(st.integers(1, 9))}-01",
        "",
        f"parameter {baseline}: rate = {draw(rate())} (clause {draw(st.integers(1, 9))}.1)",
        f"parameter {price}: money = {draw(money())}",
        "",
        f"cohort {cohort}:",
        f"  eligible when {draw(condition())}",
        f'  exclude when {draw(condition())} because "{draw(names)}"',
        draw(
            st.sampled_from(
                [
                    "  quarterly from 2015-10-01 to 2016-09-30",
                    "  contract years from 2015-01-01 to 2017-12-31",
                    '  period "pilot" from 2014-01-01 to 2014-12-31',
                    "  first 1,000 eligible index events from 2010-09-09, at most 3 cohorts",
                ]
            )
        ),
        draw(st.sampled_from(["", "  grouped by area", '  control group when group is "c"'])),
        draw(comment),
        f"measure {binary}:",
        f"  binary rate of {cohort}",
        draw(
            st.sampled_from(
                ["", "  follow-up 12 months", "  follow-up 6 months", "  waiting period 3 months"]
            )
        ),
        draw(
            st.sampled_from(
                [
                    "",
                    "  proven by conviction",
                    "  breaches counted",
                    "  adjusted for offender mix by ratio against 47.5%",
                ]
            )
        ),
        direction,
        f"measure {freq}: frequency per {draw(st.sampled_from(['reoffender', '100 offenders']))}"
        f" of {cohort}",
        draw(
            st.sampled_from(
                [
                    "",
                    "  counting arrests\n"
                    "  follow-up 3 months starting 9 months after the index date",
                    '  counting custody days\n  unit "bed days"',
                    "  counting quarters employed\n  follow-up quarter 4 after the index date",
                    "  counting quarters without arrest\n"
                    "  follow-up quarters 1 to 4 after the index date\n  waiting period 3 months",
                ]
            )
        ),
        f"comparison {change}: {binary} against {baseline} in percentage points",
        f"comparison {freq_change}: {freq} against {_decimal(draw, 1, 9, 2)} in relative percent",
        draw(st.sampled_from(ESTIMATES)).format(name=fresh(), cohort=cohort),
        f"target {target}:{draw(st.sampled_from([' ', chr(10) + '  ']))}"
        f"{word} in {change} "
        f"of at least {draw(points())}",
        draw(
            st.sampled_from(
                [
                    "",
                    "  significant at 95% one-sided",
                    "  pooled over all cohorts so far",
                    "  pooled over all cohorts",
                    "  for each cohort",
                ]
            )
        ),
        f"target {freq_target}: reduction in {freq_change}",
        f"term {reward} (clause 6.{draw(st.integers(1, 9))}):",
        f"  {trigger} {target}"
        f"{draw(st.sampled_from(['', f' and {freq_target}', f' or not {freq_target}']))}",
        reward_amount,
        draw(
            st.sampled_from(
                ["", '  paid by "County"', '  paid by "County" to "Fund"', '  paid to "Fund"']
            )
        ),
        draw(comment),
        f"term {second}:",
        f"  when term {reward} pays and {freq_target}",
        f"  pay £{draw(st.integers(1, 99))},000 per percent of {freq_change}",
        f"term {fresh()}:",
        f"  pay {draw(money())} per {draw(st.sampled_from(['person', 'unit']))} counted in "
        f"{draw(st.sampled_from([binary, freq]))}",
        f"cap {fresh()}: all terms{draw(st.sampled_from(LIMIT_PARTIES))} at most "
        f"{draw(money())}{draw(st.sampled_from(RETURNS))} "
        f"{draw(st.sampled_from(['per cohort', 'per contract year', 'over the contract']))}"
        + draw(
            st.sampled_from(
                ["", "\n  shared pro rata", f'\n  shared in order "North", {cohort}']
            )
        ),
        "rounding:",
        f"  payments to {draw(st.integers(0, 2))} decimal places, "
        f"{draw(st.sampled_from(['half up', 'half even', 'down', 'half away from zero']))}",
    ]
    return "\n".join(lines) + "\n"
