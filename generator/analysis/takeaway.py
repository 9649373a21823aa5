"""The one sentence a chart says, computed from the data it draws.

Each chart leads with it: it is the chart's caption, its SVG ``<title>`` and the start of its
text alternative. Two readings that show the same (formatted the same way) count as no move,
so "flat" means flat to the reader's eye.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from ..messages import and_list
from ..records.formatting import month_name, pct, period_name

_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve"]


def in_words(n: int) -> str:
    """Small counts as words (``3`` → ``three``), larger ones as digits."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def series_takeaway(subject: str, months: Sequence[str], values: Sequence[float | None],
                    fmt: Callable[[float], str], higher_is_better: bool | None,
                    judge: Callable[[float, float], str | None] | None = None,
                    quarterly: bool = False, monthly_until: str | None = None) -> str:
    """What a monthly series did lately, in one sentence.

    The latest run of moves in one direction (or of no move) is what a reader sees first:
    "Marketing's MQL→SQL conversion fell three months running to May 2026, 31.0% → 28.0% —
    worse."
    Gaps (months without a reading) are skipped, not counted as moves. ``judge`` (change,
    base → better, worse or flat) is the trend tables' own test: a month's move it calls flat
    (under the noise threshold) is no move here either, as the table's row says, so "rose two
    months running" never counts a month the table calls flat. A series of a team that meets
    ``quarterly`` (one reading a quarter, dated its last month) is told in quarters: "rose two
    quarters running to Q2 2026", a quarter without a reading being the gap. A team that met
    monthly until it met quarterly has its quarters told alone, ``monthly_until`` the month of
    its last monthly reading: its first quarter is not its only reading.
    """
    step = 3 if quarterly else 1

    def named(month: str) -> str:
        return period_name(month, quarterly)

    points = [(m, v) for m, v in zip(months, values, strict=True) if v is not None]
    if not points:
        return f"{subject}: no readings yet."
    if len(points) == 1:
        month, value = points[0]
        if monthly_until is not None:
            return (f"{subject} was {fmt(value)} in {named(month)}, its first quarterly "
                    f"reading (monthly until {month_name(monthly_until)}).")
        return f"{subject} was {fmt(value)} in {named(month)}, its only reading so far."
    # Only the latest run is told: readings are formatted and moves judged from the end back
    # to where the run began, not over the whole series (hundreds of charts at scale).
    formatted: dict[int, str] = {}

    def shown(i: int) -> str:
        if i not in formatted:
            formatted[i] = fmt(points[i][1])
        return formatted[i]

    def move(i: int) -> int:
        before, after = points[i - 1][1], points[i][1]
        if shown(i) == shown(i - 1) or (judge is not None and judge(after - before, before)
                                        == "flat"):
            return 0  # no move a reader can see, or one the trend table calls flat
        return 1 if after > before else -1

    latest = len(points) - 1
    last = move(latest)
    run = 1
    while run < latest and move(latest - run) == last:
        run += 1
    start_month, start = points[-1 - run]
    end_month, end = points[-1]
    # No month (or quarter) without a reading between them.
    unbroken = run * step + 1 == _span(start_month, end_month)
    months = ("quarters" if quarterly else "months") if unbroken else "readings"
    if last == 0 and shown(latest - run) == shown(latest):
        if run == 1:
            return (f"{subject} held at {fmt(end)} in {named(end_month)}, "
                    f"as in {named(start_month)}.")
        return (f"{subject} held at {fmt(end)} for {in_words(run + 1)} {months}, "
                f"{named(start_month)} to {named(end_month)}.")
    if run == 1:
        when = (f"in {named(end_month)}" if unbroken
                else f"from {named(start_month)} to {named(end_month)}")
    else:
        # The month it ran to: a series that stopped months ago read as today's news.
        when = f"{in_words(run)} {months} running to {named(end_month)}"
    verdict = ""
    if higher_is_better is not None:
        # "Better" or "worse" than where the run began: the trend tables' verdicts ("wrong
        # way", "improved") also weigh the 3-month mean.
        verdict = " — better" if (end > start) == higher_is_better else " — worse"
    if last == 0:
        # Moves the trend table calls flat, one by one: flat too, unless they add up.
        assert judge is not None  # without one, a move is any change that shows
        if judge(end - start, start) == "flat":
            # (A move from a month before a gap says that month: "in November" read as
            # against October, which had no reading.)
            span = (when if run == 1 else
                    f"for {in_words(run + 1)} {months}, {named(start_month)} to "
                    f"{named(end_month)}")
            return (f"{subject} was flat {span}, {fmt(start)} → {fmt(end)}: under the noise "
                    "threshold.")
        verb = "crept up" if end > start else "crept down"
        return (f"{subject} {verb} {when} by moves under the noise threshold, "
                f"{fmt(start)} → {fmt(end)}{verdict}.")
    verb = "rose" if last > 0 else "fell"
    return f"{subject} {verb} {when}, {fmt(start)} → {fmt(end)}{verdict}."


def _span(first: str, last: str) -> int:
    """How many months from ``first`` to ``last`` inclusive (``YYYY-MM``)."""
    (y1, m1), (y2, m2) = (map(int, first.split("-")), map(int, last.split("-")))
    return (y2 - y1) * 12 + (m2 - m1) + 1


def backlog_takeaway(months: Sequence[str], backlog: Sequence[int],
                     as_of: dt.date | None = None) -> str:
    """Where the open-actions backlog stands, against the end of the month three months
    earlier. The last month is the one ``as_of`` falls in, when given: the count is as of
    that day, not the end of a month that has not ended."""
    now = backlog[-1]
    noun = "action" if now == 1 else "actions"
    when = f"as of {as_of.isoformat()}" if as_of else f"at the end of {month_name(months[-1])}"
    head = f"{now} {noun} open {when}"
    if len(backlog) < 4:
        return head + "."
    before, then = backlog[-4], month_name(months[-4])
    if before == now:
        return f"{head}, as many as at the end of {then}."
    word = "up" if now > before else "down"
    return f"{head}, {word} from {before} at the end of {then}."


def attainment_takeaway(period: str, rows: Sequence[dict[str, object]],
                        unjudged: Sequence[str] = (),
                        disputed: Sequence[tuple[str, str]] = ()) -> str:
    """How many goals a quarter met, and the one furthest short (or the best, if all met).

    Each row says whether its goal was ``met``. A row whose figure was computed from part of
    the quarter (``partial``: "2 of 3 months") is not judged: it is named at the end instead
    (not judged "yet" unless its missing months will never come, ``ended``: "the indicator
    was retired after October 2026"),
    as are the ``disputed`` rows (metric, and which of the typed and computed figures meets
    the goal when only one does) and the ``unjudged`` rows, which have no figure at all. A
    row with no attainment (None) has no ratio to rank it by; its ``label`` says how it was
    judged: "met at 0" (a lower-is-better goal brought down to 0), "met its goal of 0",
    "met", "not met" (a goal or figure below zero)."""
    judged = [r for r in rows if not r.get("partial")]
    values = [(str(r["metric"]), float(r["attainment"]))  # type: ignore[arg-type]
              for r in judged if r["attainment"] is not None]
    no_ratio = [(str(r["metric"]), bool(r["met"]), _no_ratio_said(r))
                for r in judged if r["attainment"] is None]
    total = len(judged)
    # "Yet" while a figure may still come in; a row whose missing months never will (its
    # indicator retired: ``ended`` says so) is simply not judged.
    partial = [r for r in rows if r.get("partial")]
    yet = " yet" if disputed or unjudged or not all(r.get("ended") for r in partial) else ""
    later = f"; not judged{yet}: " + ", ".join(
        [f"{r['metric']} (from {r['partial']}" + (f"; {r['ended']})" if r.get("ended") else ")")
         for r in partial]
        + [f"{metric} ({why})" for metric, why in disputed]
        + [f"{metric} (no figure)" for metric in unjudged])
    if not total:
        return f"No goal of {period} can be judged{yet}{later[len('; not judged' + yet):]}."
    later = later if total < len(rows) + len(unjudged) + len(disputed) else ""
    met = sum(1 for r in judged if r["met"])
    one = " (the one that can be judged)" if later else ""
    if met == total:
        # "at 93% of its goal", never "at 93%": the win rate itself was 30 %.
        best = (f"{max(values, key=lambda v: v[1])[0]} at "
                f"{pct(max(a for _, a in values))} of its goal" if values else no_ratio[0][2])
        if total == 1:
            return f"The goal of {period}{one} was met: {best}{later}."
        # "Both goals met" of a review with five rows, three not judged, read as all met.
        can_be = " that can be judged" if later else ""
        every = "Both goals" if total == 2 else f"All {in_words(total)} goals"
        return f"{every} of {period}{can_be} met; the furthest beyond: {best}{later}."
    missed = [(metric, a) for metric, a in values if a < 1]
    if missed:  # as the table shows it: a goal 0.4 % short is "at 99.6%", never "at 100%"
        metric, worst = min(missed, key=lambda v: v[1])
        short = f"{metric} at {pct(worst)} of its goal{later}."
    else:  # only goals with no ratio were missed: none is furthest; they are named
        short = f"{and_list([said for _, ok, said in no_ratio if not ok])}{later}."
    # "Furthest short" ranks goals by their ratio; goals missed with none are only "missed".
    furthest = "furthest short" if missed else "missed"
    if total == 1:  # not "Zero of one goals"
        return f"The goal of {period}{one} was not met: {short}"
    if met == 0:
        none = "Neither goal" if total == 2 else f"None of the {in_words(total)} goals"
        return f"{none} of {period} met; {furthest}: {short}"
    can_be = " that can be judged" if later else ""
    return (f"{in_words(met).capitalize()} of {in_words(total)} goals of {period}{can_be} met; "
            f"{furthest}: {short}")


def _no_ratio_said(row: dict[str, object]) -> str:
    """A goal with no ratio, as a sentence names it: "Churned logos at 0", "New logos (goal
    0)", "Net burn (met)", "Net margin at -$3,500 against a goal of -$2,000"."""
    label = str(row["label"])
    if label == "met at 0":
        return f"{row['metric']} at 0"
    if label == "met its goal of 0":
        return f"{row['metric']} (goal 0)"
    if label == "not met":
        return f"{row['metric']} at {row['figure']}"
    return f"{row['metric']} ({label})"
