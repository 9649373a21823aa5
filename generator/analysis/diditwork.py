"""The "did it work" analyses, run together as one stage of the build: what followed each
fix (`generator.analysis.effectiveness`), why deals are won and lost (`generator.analysis.winloss`) and which
kinds of assumption usually fail (`generator.analysis.calibration`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..gcpause import paused_gc
from ..records.corpus import KnowledgeBase
from .analyze import Analysis
from .calibration import Calibration, calibrate
from .effectiveness import Effectiveness, assess
from .link import Links
from .winloss import WinLoss, win_loss


@dataclass
class DidItWork:
    """The three answers a leader asks before the next plan."""

    effects: Effectiveness
    winloss: WinLoss
    calibration: Calibration


def did_it_work(kb: KnowledgeBase, links: Links, analysis: Analysis) -> DidItWork:
    """Run the three analyses over the linked, analysed knowledge base."""
    # Tens of thousands of small result objects that all stay alive: the cyclic collector
    # would only walk them again and again (as while loading, see `generator.gcpause`).
    with paused_gc():
        return DidItWork(
            effects=assess(list(links.actions.values()), analysis.readings, kb.taxonomy,
                           kb.as_of),
            winloss=win_loss(kb),
            calibration=calibrate(kb),
        )
