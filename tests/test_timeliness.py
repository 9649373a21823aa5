"""Post-mortem timeliness follows the plan kind, with the practice's defaults or the taxonomy's."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, HERE, make_kb, run_cli

CAMPAIGN = (HERE / "bad_input" / "late-postmortem" / "postmortems" / "late-postmortem.md"
            ).read_text()


def _validate(tmp_path: Path, held: str, taxonomy_extra: str = "") -> str:
    tmp_path.mkdir(parents=True, exist_ok=True)
    taxonomy = tmp_path / "taxonomy.yml"
    taxonomy.write_text((FIXTURES / "taxonomy.yml").read_text().replace(
        "  - id: campaign\n    title: Campaigns\n",
        "  - id: campaign\n    title: Campaigns\n" + taxonomy_extra))
    root = make_kb(tmp_path / "kb", {"postmortems/2026-04-the-apollo-launch.md":
                                     CAMPAIGN.replace("held: 2026-05-20", f"held: {held}")},
                   taxonomy)
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 0, result.output
    return result.output


def test_a_campaign_post_mortem_16_days_after_the_end_is_late(tmp_path: Path) -> None:
    # The event ended 2026-04-30: 2026-05-16 is 16 days later, past the default 14.
    out = _validate(tmp_path, "2026-05-16")
    assert "held  warning: campaign post-mortem held 16 days after the event ended " \
           "(hold it within 14 days" in out


def test_within_two_weeks_a_campaign_post_mortem_is_on_time(tmp_path: Path) -> None:
    assert "post-mortem held" not in _validate(tmp_path, "2026-05-14")


def test_the_taxonomy_sets_the_days_per_plan_kind(tmp_path: Path) -> None:
    out = _validate(tmp_path, "2026-05-16", "    held_within_days: 21\n")
    assert "post-mortem held" not in out
    out = _validate(tmp_path / "strict", "2026-05-06", "    held_within_days: 5\n")
    assert "campaign post-mortem held 6 days after the event ended (hold it within 5 days" in out


def _stopped_case(tmp_path: Path, marketing_months: list[str]) -> str:
    """The team-stopped bad-input case with marketing's retros for ``marketing_months``."""
    case = HERE / "bad_input" / "team-stopped" / "retros"
    files = {f"retros/{p.name}": p.read_text() for p in case.glob("*-sales.md")}
    template = (case / "2026-01-marketing.md").read_text()
    for month in marketing_months:
        held = f"2026-{int(month[5:]) + 1:02d}-04"
        files[f"retros/{month}-marketing.md"] = template.replace(
            "2026-02-04", held).replace("2026-01", month)
    result = run_cli("validate", "--root", str(make_kb(tmp_path, files)), "--as-of",
                     "2026-06-15")
    assert result.exit_code == 0, result.output
    return result.output


def test_a_team_one_month_behind_the_others_has_not_stopped(tmp_path: Path) -> None:
    """Sales reported through May; marketing's May retro is not written yet (teams hold them on
    different days): no warning. Two months behind, its last retro is warned."""
    behind = _stopped_case(tmp_path / "a", ["2026-01", "2026-02", "2026-03", "2026-04"])
    assert "no retro after this one" not in behind, behind
    stopped = _stopped_case(tmp_path / "b", ["2026-01", "2026-02", "2026-03"])
    assert "retros/2026-03-marketing.md:3:9  period  warning: marketing has no retro after " \
           "this one: 2 months (2026-04 to 2026-05) that other teams reported" in stopped, stopped
