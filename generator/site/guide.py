"""The guide's examples in this knowledge base's own ids.

The guide (``docs/guide/``) comes with the template every knowledge base starts from, and its
examples were written with the sample company's ids: ``--team sales``, ``win-rate: {smb: …,
mid-market: …}``. Published as written on another company's site, the guide told its writers
to type teams, indicators and segments their ``taxonomy.yml`` does not have. Its pages are
filled in on the way to the site instead, from the knowledge base's taxonomy:

- a mark ``{{role:id}}`` in a guide page is an example id of that role, written as the guide
  would have it (``{{team:sales}}``): the id itself where the taxonomy has it in that role,
  else one of the taxonomy's own (the sample's site reads as written). Within a page, one id
  written twice is filled in the same way both times, and two ids written differently are
  filled in with two different ids where the taxonomy has that many;
- a readings example (a fenced ``yaml`` block starting ``indicators:``, or a ``csv`` block
  headed ``indicator,segment,value``) keeps each indicator the taxonomy has with the segments
  written, and shows another indicator of its own, with its segments, in place of any other.

An example the taxonomy has nothing for (no indicator split into segments, no ICP tier for
deals) leaves its line out of an example block, and reads ``<role>`` in running text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from ..records.schema import PostmortemKind
from ..records.taxonomy import Indicator, Taxonomy, Unit

GUIDE_FOLDER = "guide/"
"""The hand-written pages filled in: those under ``guide/`` of the docs folder."""

MARK = re.compile(r"\{\{(team|team name|action|kind|plan kinds?|categories|reasons|deal segment"
                  r"|deal tier|split|plain|segment (?:[1-9]|last)):([^{}]*?)\}\}")
"""``{{role:what is written}}``: an example the taxonomy fills in (other text in double
braces is left as written). A list of ids may run over lines, as prose wraps."""
_LIST_SEPARATOR = re.compile(r",\s*")

_LISTS = {"plan kinds": "plan kind", "categories": "category", "reasons": "reason"}
"""The marks that name a list of ids, and the pool each id is drawn from."""

_FIGURES: dict[str, list[str]] = {
    Unit.RATE: ['"18/40"', '"9/25"', '"4/11"', '"6/20"', '"3/10"', '"2/8"'],
    Unit.COUNT: ["24", "17", "8", "5", "3", "2"],
    Unit.DAYS: ["41", "63", "88", "105", "120", "140"],
    Unit.USD: ["52000", "38500", "21000", "14000", "9000", "6000"],
    Unit.USD_PER_DAY: ["41200", "28600", "15300", "9800", "6100", "3900"],
    Unit.RATIO: ["1.04", "0.97", "1.12", "0.91", "1.08", "0.95"],
}
"""Example figures of a reading, by unit, for an indicator the guide did not write: a rate
as the counts behind it, as the guide recommends."""


def _figures(indicator: Indicator, written: list[str]) -> Iterator[str]:
    """The figures of an indicator's example: ``written`` first (the guide's own, for this
    very indicator), then the unit's."""
    yield from written
    table = _FIGURES.get(indicator.unit, _FIGURES[Unit.COUNT])
    while True:
        yield from table


@dataclass
class _Pool:
    """One role's ids on one page: the taxonomy's, in the order they are offered in place of
    an id it lacks, and what each id written on the page is filled in with."""

    offered: list[str]
    valid: Callable[[str], bool]
    chosen: dict[str, str | None] = field(default_factory=dict)

    def fill(self, written: list[str]) -> None:
        """Choose for every id ``written`` on the page (in order): itself where valid, else
        the first offered id no other written id has, else (the taxonomy has fewer) the first
        offered again; None only where nothing is offered."""
        taken = {w for w in written if self.valid(w)}
        for w in written:
            if w in self.chosen:
                continue
            if w in taken:
                self.chosen[w] = w
                continue
            free = next((o for o in self.offered if o not in taken), None)
            if free is not None:
                taken.add(free)
            self.chosen[w] = free or next(iter(self.offered), None)

    def __getitem__(self, written: str) -> str | None:
        return self.chosen.get(written)


class _Page:
    """The examples of one guide page, filled in from one taxonomy."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        t = taxonomy
        teams = {team.id: team for team in t.teams}
        current = [team.id for team in t.teams if team.retired is None]
        indicators = {i.id: i for i in t.indicators}
        live = [i for i in t.indicators if i.retired is None]
        split = [i.id for i in live if i.segment_by and i.segments]
        # A split rate first: the guide shows a rate written as the counts behind it.
        split.sort(key=lambda i: indicators[i].unit != Unit.RATE)
        plain = [i.id for i in live if not (i.segment_by and i.segments)]
        plan_kinds = [k.id for k in t.plan_kinds]
        kinds = [k.value for k in PostmortemKind if k.plan_kind in plan_kinds]
        deal_segments = t.segment_ids(t.deal_dimension("segment"))
        deal_tiers = t.segment_ids(t.deal_dimension("icp_tier"))
        self.teams = teams
        self.indicators = indicators
        self.pools = {
            "team": _Pool(current, teams.__contains__),
            "kind": _Pool(kinds, kinds.__contains__),
            "plan kind": _Pool(plan_kinds, plan_kinds.__contains__),
            "category": _Pool(ids := [c.id for c in t.assumption_categories],
                              ids.__contains__),
            "reason": _Pool(reasons := [r.id for r in t.reasons], reasons.__contains__),
            "deal segment": _Pool(deal_segments, deal_segments.__contains__),
            "deal tier": _Pool(deal_tiers, deal_tiers.__contains__),
            "split": _Pool(split, split.__contains__),
            "plain": _Pool(plain, plain.__contains__),
        }

    # --- which pool each mark names -------------------------------------------------------

    def _written(self, role: str, text: str) -> tuple[str, list[str]]:
        """The pool a mark draws from and the ids written in it."""
        if role in _LISTS:
            return _LISTS[role], [item.strip().strip("`") for item in text.split(",")]
        if role in ("team name", "action"):
            return "team", [text.split()[0]]
        if role.startswith("segment "):
            return "split", [text.strip()]
        return role, [text.strip()]

    def read(self, text: str) -> None:
        """Choose every example of the page (marks and readings blocks), in the page's order."""
        found: list[tuple[int, str, list[str]]] = [
            (mark.start(), *self._written(mark.group(1), mark.group(2)))
            for mark in MARK.finditer(text)]
        for at, kind, block in _blocks(text):
            found += [(at, "split" if segments else "plain", [indicator])
                      for indicator, segments, _ in _readings(kind, block)]
        written: dict[str, list[str]] = {name: [] for name in self.pools}
        for _, pool, ids in sorted(found, key=lambda item: item[0]):  # stable within a block
            written[pool] += ids
        for name, ids in written.items():
            self.pools[name].fill(ids)

    # --- filling in -----------------------------------------------------------------------

    def mark(self, role: str, text: str) -> str | None:
        """What a mark reads on the page; None where the taxonomy has nothing for it."""
        pool_name, ids = self._written(role, text)
        pool = self.pools[pool_name]
        if role in _LISTS:
            chosen = list(dict.fromkeys(c for w in ids if (c := pool[w]) is not None))
            if not chosen:
                return None
            quote = "`" if text.strip().startswith("`") else ""
            # The written separators, line breaks of wrapped prose included, in their order.
            between = [*_LIST_SEPARATOR.findall(text), ""]
            return "".join(f"{quote}{c}{quote}{between[i] if i < len(chosen) - 1 else ''}"
                           for i, c in enumerate(chosen))
        chosen_id = pool[ids[0]]
        if chosen_id is None:
            return None
        if role == "team name":
            return self.teams[chosen_id].name
        if role == "action":  # "sales SAL-2026-05-1": the team's action id as written
            action = text.split()[1]
            return action if chosen_id == ids[0] else \
                f"{chosen_id.upper()}-{action.split('-', 1)[1]}"
        if role.startswith("segment "):
            segments = self.indicators[chosen_id].segments
            at = role.split()[1]
            index = len(segments) if at == "last" else int(at)
            return segments[index - 1] if 1 <= index <= len(segments) else None
        return chosen_id

    def fill(self, text: str) -> str:
        """The page with its examples filled in."""
        # A list wrapped over lines is filled in first, whole: it is running text.
        text = MARK.sub(lambda found: found.group() if "\n" not in found.group()
                        else self.mark(found.group(1), found.group(2)) or f"<{found.group(1)}>",
                        text)
        lines: list[str] = []
        fence: list[str] | None = None  # the lines of the fenced block under way
        for line in text.splitlines(keepends=True):
            if fence is not None:
                fence.append(line)
                if line.strip().startswith("```"):
                    lines += self._block(fence)
                    fence = None
                continue
            if line.lstrip().startswith("```"):
                fence = [line]
                continue
            filled = self._line(line, code=line.startswith("    "))
            if filled is not None:
                lines.append(filled)
        if fence is not None:
            lines += self._block(fence)
        return "".join(lines)

    def _line(self, line: str, code: bool) -> str | None:
        """A line with its marks filled in; None to leave an example block's line out where
        the taxonomy has nothing for a mark of it."""
        missing = False

        def one(found: re.Match[str]) -> str:
            nonlocal missing
            value = self.mark(found.group(1), found.group(2))
            if value is None:
                missing = True
                return f"<{found.group(1)}>"
            return value

        filled = MARK.sub(one, line)
        return None if missing and code else filled

    def _block(self, fence: list[str]) -> list[str]:
        """A fenced block: a readings example made of the taxonomy's indicators, any other
        with its marks filled in."""
        kind = _block_kind(fence)
        if kind is None:
            return [f for line in fence if (f := self._line(line, code=True)) is not None]
        out = [fence[0], fence[1]]  # the fence, then `indicators:` or the CSV's header
        shown: set[str] = set()
        for indicator, segments, (first, figures) in _readings(kind, "".join(fence[2:-1])):
            pool = self.pools["split" if segments else "plain"]
            chosen = pool[indicator]
            if chosen is None or chosen in shown:  # an indicator is read once a month
                continue
            shown.add(chosen)
            same = chosen == indicator
            now = self.indicators[chosen].segments if segments else []
            if same and now == segments:
                out += first  # as the guide writes it
                continue
            values = _figures(self.indicators[chosen], figures if same else [])
            if kind == "csv":
                out += [f"{chosen},{s},{next(values)}\n" for s in (now or [""])]
            elif now:
                pairs = ", ".join(f"{s}: {next(values)}" for s in now)
                out.append(f"  {chosen}: {{{pairs}}}\n")
            else:
                out.append(f"  {chosen}: {next(values)}\n")
        out.append(fence[-1])
        return out


def _block_kind(fence: list[str]) -> str | None:
    """``yaml`` or ``csv`` for a fenced readings example, else None."""
    if len(fence) < 3:
        return None
    info, head = fence[0].strip().removeprefix("```").strip(), fence[1].strip()
    if info == "yaml" and head == "indicators:":
        return "yaml"
    if info == "csv" and head == "indicator,segment,value":
        return "csv"
    return None


def _blocks(text: str) -> Iterator[tuple[int, str, str]]:
    """Each readings example of a page: where it starts, its kind and its lines under the
    header."""
    for found in re.finditer(r"^```(yaml|csv)\n(.*?)^```", text, re.M | re.S):
        lines = found.group(2).splitlines(keepends=True)
        kind = _block_kind([f"```{found.group(1)}\n", *lines, "```\n"])
        if kind is not None:
            yield found.start(), kind, "".join(lines[1:])


_PAIR = re.compile(r"([^\s{},:]+):\s*([^,}]*)")


def _readings(kind: str, block: str) -> Iterator[tuple[str, list[str], tuple[list[str],
                                                                             list[str]]]]:
    """The readings of an example block, in order: the indicator, the segments written
    (none for an indicator given whole) and (its lines as written, its figures)."""
    if kind == "yaml":
        for line in block.splitlines(keepends=True):
            name, _, value = line.strip().partition(":")
            value = value.strip()
            if value.startswith("{"):
                pairs = _PAIR.findall(value)
                yield name, [s for s, _ in pairs], ([line], [f.strip() for _, f in pairs])
            elif name:
                yield name, [], ([line], [value])
        return
    rows: dict[str, tuple[list[str], list[str], list[str]]] = {}
    for line in block.splitlines(keepends=True):
        cells = line.rstrip("\n").split(",", 2)
        if len(cells) != 3:
            continue
        segments, lines, figures = rows.setdefault(cells[0], ([], [], []))
        if cells[1]:
            segments.append(cells[1])
        lines.append(line)
        figures.append(cells[2])
    for name, (segments, lines, figures) in rows.items():
        yield name, segments, (lines, figures)


def fill_guide(text: str, taxonomy: Taxonomy) -> str:
    """A guide page's Markdown with its examples in ``taxonomy``'s ids (see the module)."""
    if "{{" not in text and "```" not in text:
        return text
    page = _Page(taxonomy)
    page.read(text)
    return page.fill(text)


def is_guide_page(path: str) -> bool:
    """Whether a hand-written page (its path in the docs folder) is a guide page whose
    examples are filled in."""
    return path.startswith(GUIDE_FOLDER) and path.endswith(".md")


def fill_guide_files(files: Mapping[str, bytes], taxonomy: Taxonomy,
                     prefix: str = "") -> dict[str, bytes]:
    """The docs folder's files (by path, under ``prefix``) with the guide pages filled in."""
    filled = dict(files)
    for path, content in files.items():
        if path.startswith(prefix) and is_guide_page(path[len(prefix):]):
            try:
                text = content.decode("utf-8")
            except UnicodeDecodeError:
                continue  # not a page MkDocs reads either
            filled[path] = fill_guide(text, taxonomy).encode("utf-8")
    return filled
