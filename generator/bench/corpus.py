"""Write a large, realistic, valid knowledge base for benchmarks and scale tests.

Monthly retros of many teams, their quarterly reviews and named post-mortems, with recurring
slow-burn causes and thousands of actions that later records close, drop or leave overdue.
Everything is drawn from a seeded random generator, so the same N gives the same corpus.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from pathlib import Path

from ..records.types import months_of_quarter, next_month

CAUSES = [
    ("icp-drift", "ICP drift"), ("sdr-ae-handoff", "SDR-to-AE hand-off decay"),
    ("nurture-decay", "Nurture sequence decay"), ("lead-routing", "Lead-routing rules out of date"),
    ("list-quality", "Poor list quality"), ("single-threaded", "Single-threaded deals"),
    ("late-legal-review", "Security and legal review started late"),
    ("launch-readiness", "Launch readiness gaps"), ("pricing-confusion", "Pricing confusion"),
    ("event-follow-up-lag", "Slow event follow-up"), ("forecast-optimism", "Forecast optimism"),
    ("crm-hygiene", "CRM data hygiene"),
]
SLOW_BURN = ["icp-drift", "sdr-ae-handoff", "nurture-decay"]
KINDS = ["campaign", "event", "webinar", "deal-won", "deal-lost", "launch", "pricing", "quarter"]
PLAN_KIND = {"deal-won": "deal", "deal-lost": "deal"}
REASONS = ["price", "integration", "executive-access", "security", "time-to-value", "features"]
CATEGORIES = ["demand", "timeline", "channel", "pricing", "competition", "capacity"]
RIVALS = ["Rivalco", "Corvex", "Tallyo", "Ledgerline"]
PEOPLE = ["Ana Silva", "Ben Carter", "Chloe Martin", "Dev Patel", "Eva Novak", "Femi Ade",
          "Gus Lind", "Hana Ito", "Ivan Petrov", "Jo Kim", "Kai Berg", "Lia Rossi"]
WORDS = [
    "pipeline", "routing", "nurture", "handoff", "segment", "webinar", "launch", "pricing",
    "discount", "champion", "procurement", "forecast", "enablement", "sequence", "inbound",
    "outbound", "partner", "territory", "quota", "renewal", "expansion", "onboarding",
    "persona", "messaging", "cadence",
]


def _taxonomy(teams: list[str]) -> str:
    lines = ["company: Benchco", "causes:"]
    for cause_id, title in CAUSES:
        lines += [f"  - id: {cause_id}", f"    title: {title}",
                  f"    description: {title}, a structural cause seen across teams."]
    lines += [
        "indicators:",
        "  - {id: pipeline-velocity, label: Pipeline velocity, unit: usd_per_day, better: up}",
        "  - {id: win-rate, label: Win rate, unit: rate, better: up, segment_by: segment,",
        "     segments: [smb, mid-market, enterprise]}",
        "  - {id: mql-to-sql, label: MQL to SQL, unit: rate, better: up, segment_by: source,",
        "     segments: [inbound, outbound, events, nurture]}",
        "  - {id: sales-cycle, label: Sales cycle, unit: days, better: down, segment_by: icp-tier,",
        "     segments: [tier-1, tier-2, tier-3]}",
        "teams:",
    ]
    lines += [f"  - {{id: {t}, name: {t.replace('-', ' ').title()}, monthly_retros: true}}"
              for t in teams]
    lines += ["plan_kinds:"] + [f"  - {{id: {k}, title: {k.title()}}}" for k in
                                ("campaign", "event", "webinar", "deal", "launch", "pricing",
                                 "quarter")]
    lines += ["reasons:"] + [f"  - {{id: {r}, title: {r.title()}, aliases: [{r}-alias]}}"
                             for r in REASONS]
    lines += ["assumption_categories:"] + [f"  - {{id: {c}, title: {c.title()}}}"
                                           for c in CATEGORIES]
    return "\n".join(lines) + "\n"


def _sentence(rng: random.Random, n: int = 10) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _q(text: str) -> str:
    return json.dumps(text)


def make_corpus(count: int, folder: Path, seed: int = 7) -> dict[str, int]:
    """Write about ``count`` records (and a taxonomy) into ``folder``; returns what it wrote."""
    rng = random.Random(seed)
    n_retros = int(count * 0.8)
    n_reviews = max(1, int(count * 0.05))
    n_pms = max(1, count - n_retros - n_reviews)
    months_total = min(120, max(12, int(math.sqrt(n_retros * 2))))
    n_teams = max(2, math.ceil(n_retros / months_total))
    teams = [f"team-{i:03d}" for i in range(1, n_teams + 1)]
    start = dt.date(2017, 1, 1)
    months = [f"{start.year}-{start.month:02d}"]
    while len(months) < months_total:
        months.append(next_month(months[-1]))
    (folder / "retros").mkdir(parents=True, exist_ok=True)
    (folder / "postmortems").mkdir(parents=True, exist_ok=True)
    (folder / "taxonomy.yml").write_text(_taxonomy(teams), encoding="utf-8")

    written = {"retros": 0, "reviews": 0, "postmortems": 0, "actions": 0}
    open_actions: dict[str, list[tuple[str, dt.date, dt.date]]] = {t: [] for t in teams}
    slots = [(t, m) for t in teams for m in months][:n_retros]
    for team, month in slots:
        held = dt.date.fromisoformat(f"{next_month(month)}-0{rng.randint(1, 6)}")
        lines = ["---", "type: retro", f"period: {month}", f"team: {team}", f"held: {held}",
                 f"facilitator: {rng.choice(PEOPLE)}",
                 f"participants: [{', '.join(rng.sample(PEOPLE, 3))}]",
                 f"format: {rng.choice(['five-whys', 'stop-start-continue', 'good-bad-ugly'])}",
                 "indicators:",
                 f"  pipeline-velocity: {rng.randint(20000, 60000)}"]
        lines.append("  win-rate: {" + ", ".join(
            f'{s}: "{rng.randint(3, 12)}/{rng.randint(25, 40)}"'
            for s in ("smb", "mid-market", "enterprise")) + "}")
        lines.append("  mql-to-sql: {" + ", ".join(
            f'{s}: "{rng.randint(10, 40)}/{rng.randint(100, 200)}"'
            for s in ("inbound", "outbound", "events", "nurture")) + "}")
        lines.append("  sales-cycle: {" + ", ".join(
            f"{s}: {rng.randint(30, 90)}" for s in ("tier-1", "tier-2", "tier-3")) + "}")
        lines += [f"stop: [{_q(_sentence(rng, 6))}]", f"start: [{_q(_sentence(rng, 6))}]",
                  "causes:"]
        cited = rng.sample(SLOW_BURN, 1) + rng.sample([c for c, _ in CAUSES], 1)
        for cause in dict.fromkeys(cited):
            lines += [f"  - cause: {cause}", "    whys:"]
            lines += [f"      - {_q(_sentence(rng, 8))}" for _ in range(rng.randint(2, 5))]
        lines.append("actions:")
        for index in range(1, rng.randint(2, 4)):
            action_id = f"{team.upper()}-{month}-{index}"
            due = held + dt.timedelta(days=rng.randint(14, 60))
            lines += [f"  - id: {action_id}", f"    title: {_q(_sentence(rng, 7))}",
                      f"    owner: {rng.choice(PEOPLE)}", f"    due: {due}",
                      f"    cause: {cited[0]}", "    indicator: win-rate"]
            open_actions[team].append((action_id, held, due))
            written["actions"] += 1
        updates = []
        for action_id, raised, due in list(open_actions[team]):
            if raised < held and rng.random() < 0.7:
                open_actions[team].remove((action_id, raised, due))
                if rng.random() < 0.1:
                    updates.append(f"  - {{id: {action_id}, status: dropped}}")
                else:
                    done = min(held, raised + dt.timedelta(days=rng.randint(5, 70)))
                    updates.append(f"  - {{id: {action_id}, status: done, done_on: {done}}}")
        if updates:
            lines += ["action_updates:", *updates]
        if rng.random() < 0.3:
            lines += ["lessons:", f"  - lesson: {_q(_sentence(rng, 9))}",
                      f"    applies_to: [{rng.choice(['campaign', 'deal', 'quarter'])}]"]
        lines += ["---", "", f"# {team} retro {month}", "", _sentence(rng, 40), "",
                  _sentence(rng, 30), ""]
        (folder / "retros" / f"{month}-{team}.md").write_text("\n".join(lines), encoding="utf-8")
        written["retros"] += 1

    quarters = sorted({f"{m[:4]}-Q{(int(m[5:]) - 1) // 3 + 1}" for m in months})
    review_slots = [(t, q) for q in quarters for t in teams][:n_reviews]
    for team, quarter in review_slots:
        last = months_of_quarter(quarter)[-1]
        held = dt.date.fromisoformat(f"{next_month(last)}-10")
        lines = ["---", "type: review", f"period: {quarter}", f"team: {team}", f"held: {held}",
                 f"facilitator: {rng.choice(PEOPLE)}", "scorecard:"]
        for metric, unit in (("New ARR", "usd"), ("Pipeline", "usd"), ("Win rate", "rate")):
            goal = 0.3 if unit == "rate" else rng.randint(200, 900) * 1000
            actual = round(goal * rng.uniform(0.7, 1.2), 4)
            lines.append(f"  - {{metric: {metric}, goal: {goal}, actual: {actual}, unit: {unit}}}")
        lines += [f"priorities: [{_q(_sentence(rng, 8))}]",
                  "lessons:", f"  - lesson: {_q(_sentence(rng, 9))}", "    applies_to: [quarter]",
                  "---", "", _sentence(rng, 40), ""]
        name = f"{quarter.lower()}-{team}-review"
        (folder / "retros" / f"{name}.md").write_text("\n".join(lines), encoding="utf-8")
        written["reviews"] += 1

    for index in range(1, n_pms + 1):
        kind = KINDS[index % len(KINDS)]
        team = teams[index % len(teams)]
        month = months[rng.randrange(len(months) - 1)]
        ended = dt.date.fromisoformat(f"{month}-{rng.randint(1, 20):02d}")
        held = ended + dt.timedelta(days=rng.randint(1, 7))
        outcome = "win" if kind == "deal-won" else rng.choice(["loss", "mixed", "win"])
        if kind == "deal-lost":
            outcome = "loss"
        lines = ["---", "type: postmortem", f"name: {_q(f'Operation {index:05d}')}",
                 f"kind: {kind}", f"outcome: {outcome}", f"summary: {_q(_sentence(rng, 15))}",
                 f"team: {team}", f"event_ended: {ended}", f"held: {held}",
                 f"keeper: {rng.choice(PEOPLE)}", "timeline:",
                 f"  - {{when: {ended - dt.timedelta(days=20)}, what: {_q(_sentence(rng, 6))}}}",
                 f"  - {{when: '{ended} 17:00', what: {_q(_sentence(rng, 6))}}}",
                 "plan_vs_actual:",
                 f"  - {{metric: MQLs, goal: 400, actual: {rng.randint(150, 500)}, unit: count}}",
                 f"good: [{_q(_sentence(rng, 6))}]", f"bad: [{_q(_sentence(rng, 6))}]",
                 "assumptions:",
                 f"  - {{statement: {_q(_sentence(rng, 8))}, held: {rng.choice(['true', 'false'])}}}",
                 f"  - {{statement: {_q(_sentence(rng, 8))}, held: false, note: {_q(_sentence(rng, 6))}}}"]
        # Categories, reasons, segments and rivals from their own generator, so the rest of
        # the corpus stays what it was before these fields existed.
        extra = random.Random(seed * 100_003 + index)
        for line in (-2, -1):
            lines[line] = lines[line][:-1] + f", category: {extra.choice(CATEGORIES)}}}"
        if kind.startswith("deal-"):
            reasons = ", ".join(extra.sample(REASONS, 2)).replace("price", "price-alias")
            lines.append(f"deal: {{customer: {_q(f'Customer {index}')}, chose_us: "
                         f"{'true' if kind == 'deal-won' else 'false'}, why: {_q(_sentence(rng, 8))}, "
                         f"competitor: {extra.choice(RIVALS)}, reasons: [{reasons}], "
                         f"segment: {extra.choice(['smb', 'mid-market', 'enterprise'])}, "
                         f"icp_tier: {extra.choice(['tier-1', 'tier-2', 'tier-3'])}}}")
        action_id = f"PM-{index:05d}-1"
        lines += [f"causes: [{rng.choice(SLOW_BURN)}]", "actions:",
                  f"  - {{id: {action_id}, title: {_q(_sentence(rng, 6))}, owner: {rng.choice(PEOPLE)}, "
                  f"due: {held + dt.timedelta(days=30)}, status: done, done_on: {held}}}",
                  "lessons:", f"  - lesson: {_q(_sentence(rng, 9))}",
                  f"    applies_to: [{PLAN_KIND.get(kind, kind)}]", "---", "",
                  f"# Operation {index:05d}", "", _sentence(rng, 50), ""]
        written["actions"] += 1
        slug = f"{month}-operation-{index:05d}"
        (folder / "postmortems" / f"{slug}.md").write_text("\n".join(lines), encoding="utf-8")
        written["postmortems"] += 1
    return written
