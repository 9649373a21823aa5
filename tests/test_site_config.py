"""mkdocs.yml as Hindsight reads it without MkDocs: an ``INHERIT:`` of a shared base file is
merged in as MkDocs merges it, so validation, edit links and the served site's settings see
what the site is built with."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import make_kb, run_cli

FENCED = ("---\ntype: retro\nteam: sales\nperiod: 2026-05\nheld: 2026-06-02\n"
          "facilitator: Kim\nformat: five-whys\nindicators:\n  pipeline-velocity: 1200\n"
          "---\n\nThe query we ran:\n\n```sql\nselect 1;\n```\n")


def _inheriting_kb(root: Path) -> Path:
    """A knowledge base whose mkdocs.yml keeps only its name and palette, inheriting the rest
    (extensions, addresses, theme) from ``shared/base.yml``."""
    make_kb(root, {"retros/2026-05-sales.md": FENCED})
    (root / "docs").mkdir()
    (root / "shared").mkdir()
    (root / "shared" / "base.yml").write_text(
        "site_name: Base\nsite_url: https://base.example/kb/\n"
        "repo_url: https://github.com/acme/kb\nedit_uri: edit/trunk/docs/\n"
        "theme:\n  name: material\n  features: [navigation.tabs]\n"
        "markdown_extensions:\n  - pymdownx.superfences\n  - tables\n"
        "plugins:\n  - hindsight\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "INHERIT: shared/base.yml\nsite_name: Ours\nsite_url: https://ours.example/\n"
        "theme:\n  palette: {scheme: slate}\n", encoding="utf-8")
    return root


def test_an_inherited_configuration_is_read_merged_as_mkdocs_merges_it(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    from generator.records.body import site_extensions
    from generator.site.settings import mkdocs_config, render_options

    root = _inheriting_kb(tmp_path)
    data = mkdocs_config(root)
    # The file's own values win; mappings merge key by key; the rest is the base's.
    assert data["site_name"] == "Ours" and data["site_url"] == "https://ours.example/"
    assert data["theme"] == {"name": "material", "features": ["navigation.tabs"],
                             "palette": {"scheme": "slate"}}
    assert "INHERIT" not in data
    # As MkDocs itself reads the same files.
    mkdocs = load_config(config_file=str(root / "mkdocs.yml"))
    assert (mkdocs.site_name, mkdocs.site_url, mkdocs.repo_url, mkdocs.edit_uri) == (
        data["site_name"], data["site_url"], data["repo_url"], data["edit_uri"])
    assert dict(mkdocs.theme.items())["palette"] == {"scheme": "slate"}
    # The extensions a record's body is checked with, and the links generated pages carry.
    assert site_extensions(root)[0] == ["pymdownx.superfences", "tables"]
    options = render_options(root)
    assert options.edit_url("retros/2026-05-sales.md") == \
        "https://github.com/acme/kb/edit/trunk/retros/2026-05-sales.md"
    assert options.site_url == "https://ours.example/"


def test_a_fence_on_a_site_that_inherits_superfences_is_not_warned_about(tmp_path: Path) -> None:
    """The base file renders fences: the fence warning (which read mkdocs.yml alone) said the
    block would show as inline code, on a site that shows it as code."""
    root = _inheriting_kb(tmp_path)
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-30")
    assert result.exit_code == 0 and "fenced code block" not in result.output, result.output
    assert "0 errors, 0 warnings" in result.output, result.output
    # Without the inheritance the same record is warned about: the check is live.
    (root / "mkdocs.yml").write_text("site_name: Ours\nmarkdown_extensions: [tables]\n",
                                     encoding="utf-8")
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-30")
    assert "retros/2026-05-sales.md:14:1  body  warning: a fenced code block" in result.output, \
        result.output


def test_an_inherit_that_names_no_file_or_loops_is_a_clear_error(tmp_path: Path) -> None:
    root = _inheriting_kb(tmp_path)
    shutil.move(root / "shared" / "base.yml", root / "shared" / "common.yml")
    result = run_cli("generate", "--root", str(root), "--out", str(tmp_path / "out"),
                     "--as-of", "2026-06-30")
    assert result.exit_code == 2, result.output
    assert ("mkdocs.yml INHERIT: shared/base.yml names a file that does not exist (give its "
            "path relative to mkdocs.yml)") in result.output, result.output
    (root / "shared" / "base.yml").write_text("INHERIT: common.yml\n", encoding="utf-8")
    (root / "shared" / "common.yml").write_text("INHERIT: base.yml\nsite_name: x\n",
                                                encoding="utf-8")
    result = run_cli("generate", "--root", str(root), "--out", str(tmp_path / "out"),
                     "--as-of", "2026-06-30")
    assert result.exit_code == 2, result.output
    assert "shared/common.yml INHERIT: base.yml inherits itself in a loop" in result.output, \
        result.output
    # A base file that is not YAML is named by its own path, with the line.
    (root / "shared" / "common.yml").write_text("site_name: [x\n", encoding="utf-8")
    result = run_cli("generate", "--root", str(root), "--out", str(tmp_path / "out"),
                     "--as-of", "2026-06-30")
    assert result.exit_code == 2, result.output
    assert "shared/common.yml:1:12 is not valid YAML" in result.output, result.output


def test_a_long_lived_process_sees_an_edit_to_a_file_mkdocs_yml_inherits(tmp_path: Path) -> None:
    """The site's extensions were cached by mkdocs.yml's timestamp and size alone: in one
    process (`hindsight serve`), an edit to the inherited base file was never seen, so the
    fence warning and the record cache went by the extensions the process started with."""
    from generator.records.body import site_extensions
    from generator.records.record_cache import environment_digest

    root = _inheriting_kb(tmp_path)
    base = root / "shared" / "base.yml"
    assert site_extensions(root)[0] == ["pymdownx.superfences", "tables"]
    digest = environment_digest(root)
    base.write_text(base.read_text(encoding="utf-8").replace("  - pymdownx.superfences\n", ""),
                    encoding="utf-8")
    assert site_extensions(root)[0] == ["tables"]
    assert environment_digest(root) != digest  # the records are validated again
    # The same process validating again warns about the fence the base no longer renders.
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-30")
    assert "retros/2026-05-sales.md:14:1  body  warning: a fenced code block" in result.output, \
        result.output

    # A base of the base: its edits count too, and so does the INHERIT that names it.
    common = root / "shared" / "common.yml"
    common.write_text("markdown_extensions:\n  - admonition\n", encoding="utf-8")
    base.write_text("INHERIT: common.yml\n" + base.read_text(encoding="utf-8").replace(
        "markdown_extensions:\n  - tables\n", ""), encoding="utf-8")
    assert site_extensions(root)[0] == ["admonition"]
    common.write_text("markdown_extensions:\n  - pymdownx.superfences\n  - admonition\n",
                      encoding="utf-8")
    assert site_extensions(root)[0] == ["pymdownx.superfences", "admonition"]
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-30")
    assert "0 errors, 0 warnings" in result.output, result.output


def test_the_files_of_a_configuration_are_mkdocs_yml_and_every_file_it_inherits(
        tmp_path: Path) -> None:
    """What `hindsight serve` watches and the caches are keyed on: the whole chain, a base
    outside the knowledge base's folder included, and a named file that is not there yet."""
    from generator.records.site_config import config_files, config_stamp

    root = _inheriting_kb(tmp_path / "kb")
    outside = tmp_path / "company" / "base.yml"
    assert config_files(root) == [root / "mkdocs.yml", root / "shared" / "base.yml"]
    base = root / "shared" / "base.yml"
    base.write_text("INHERIT: ../../company/base.yml\n" + base.read_text(encoding="utf-8"),
                    encoding="utf-8")
    assert config_files(root) == [root / "mkdocs.yml", base, root / "shared" /
                                  "../../company/base.yml"]
    stamp = config_stamp(root)
    assert config_stamp(root) == stamp
    outside.parent.mkdir()
    outside.write_text("site_description: Ours\n", encoding="utf-8")
    assert config_stamp(root) != stamp
    assert [path.resolve() for path in config_files(root)][-1] == outside.resolve()
