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
