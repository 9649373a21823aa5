"""Where an indicator chart's lines break: shared by the drawing and by the chart's words.

Kept apart from both so that the words (`generator.site.figures`) can say what is drawn
without importing matplotlib, and the drawing (`generator.site.drawing`) draws just that.
"""

from __future__ import annotations

from collections.abc import Sequence

PAUSE = 2
"""Months without a reading that break a line: a team that paused draws no line across the
pause, as if it had readings all along (one month missed is bridged, as validation does not
call a team stopped before two)."""


QUARTER = 3
"""Months between two readings of a team that meets quarterly (each dated its quarter's last
month): consecutive quarters are joined, a missing quarter (six months apart) breaks the line,
as validation warns of it."""


def line_pieces(values: Sequence[float | None], breaks: Sequence[int] = (),
                quarterly_from: int | None = None) -> list[list[int]]:
    """The positions of ``values`` with a reading, in the pieces a chart joins by a line: a
    new piece after a pause of more than `PAUSE` months and at each of ``breaks``. From
    position ``quarterly_from`` on (a team that meets quarterly; 0 when it always has) the
    readings are a quarter's, `QUARTER` months apart: joined to the quarter before only,
    never to a month before it. A piece of one reading is no line (a dot where the line has
    markers, nothing where it has none): what a chart's words say is drawn is read from here,
    as the drawing is."""
    pieces: list[list[int]] = []
    for x, value in enumerate(values):
        if value is None:
            continue
        if not pieces or x in breaks:
            pieces.append([])
        else:
            last = pieces[-1][-1]
            if quarterly_from is None or x < quarterly_from:
                apart = x - last > PAUSE
            else:
                apart = last < quarterly_from or x - last > QUARTER
            if apart:
                pieces.append([])
        pieces[-1].append(x)
    return pieces
