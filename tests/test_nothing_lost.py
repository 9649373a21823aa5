"""Nothing is lost: no command but `new` and `prep` writes into retros/ or postmortems/, and
those two only add a file; `generate --out` replaces its output atomically."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile import tree_hash

from conftest import REPO, run_cli

AS_OF = "2026-12-03"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    root.mkdir()
    for name in ("taxonomy.yml", "mkdocs.yml"):
        shutil.copy(REPO / name, root)
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "overrides", root / "overrides")
    for folder in ("retros", "postmortems"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for folder in ("retros", "postmortems") for p in sorted((root / folder).rglob("*"))
            if p.is_file()}


READ_ONLY: dict[str, Callable[[Path], list[str]]] = {
    "validate": lambda root: ["validate", "--root", str(root), "--as-of", AS_OF],
    "validate --strict": lambda root: ["validate", "--strict", "--root", str(root)],
    "validate --format github": lambda root: ["validate", "--format", "github", "--root", str(root)],
    "schema": lambda root: ["schema"],
    "actions": lambda root: ["actions", "--all", "--root", str(root), "--as-of", AS_OF],
    "recall": lambda root: ["recall", str(root / "retros"), "--format", "json", "--root",
                            str(root), "--as-of", AS_OF],
    "plan": lambda root: ["plan", "campaign", "--root", str(root), "--as-of", AS_OF],
    "generate": lambda root: ["generate", "--out", str(root.parent / "out"), "--root", str(root),
                              "--as-of", AS_OF],
    "build": lambda root: ["build", "--root", str(root), "--as-of", AS_OF, "--site-dir",
                           str(root.parent / "site")],
}


@pytest.mark.parametrize("command", sorted(READ_ONLY))
def test_command_leaves_the_records_untouched(sample: Path, command: str) -> None:
    before = (tree_hash(sample / "retros"), tree_hash(sample / "postmortems"))
    result = run_cli(*READ_ONLY[command](sample))
    assert "Traceback" not in result.output
    assert (tree_hash(sample / "retros"), tree_hash(sample / "postmortems")) == before
    if command == "build":
        assert result.exit_code == 0 and (sample.parent / "site" / "index.html").exists()


ADDING: dict[str, list[str]] = {
    "new retro": ["new", "retro", "--team", "sales", "--period", "2026-11", "--held",
                  "2026-12-02", "--facilitator", "Ann"],
    "new review": ["new", "review", "--period", "2026-Q4", "--held", "2027-01-08"],
    "new postmortem": ["new", "postmortem", "--name", "Winter push", "--kind", "quarter",
                       "--team", "sales", "--ended", "2026-11-30", "--held", "2026-12-02"],
    "prep": ["prep", "--team", "marketing", "--period", "2026-11", "--as-of", AS_OF],
}


@pytest.mark.parametrize("command", sorted(ADDING))
def test_new_and_prep_only_add_a_file_and_never_overwrite(sample: Path, command: str) -> None:
    before = _files(sample)
    first = run_cli(*ADDING[command], "--root", str(sample))
    assert first.exit_code == 0, first.output
    after = _files(sample)
    added = set(after) - set(before)
    assert len(added) == 1 and {k: after[k] for k in before} == before
    again = run_cli(*ADDING[command], "--root", str(sample))
    assert again.exit_code != 0 and "not overwriting" in again.output
    assert _files(sample) == after


def test_interrupted_generate_leaves_the_previous_output_whole(sample: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    out = sample.parent / "out"
    assert run_cli("generate", "--out", str(out), "--root", str(sample), "--as-of", AS_OF
                   ).exit_code == 0
    before = tree_hash(out)
    # Change every page (a new date), then interrupt the write half-way through.
    calls = {"n": 0}
    real = Path.write_bytes

    def flaky(self: Path, data: bytes) -> int:  # type: ignore[override]
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", flaky)
    # Click turns the interrupt into "Aborted!" and exit code 1, as it does for Ctrl-C.
    interrupted = run_cli("generate", "--out", str(out), "--root", str(sample), "--as-of",
                          "2027-01-15", "--no-cache")
    monkeypatch.undo()
    assert calls["n"] == 5
    assert interrupted.exit_code == 1 and "Aborted" in interrupted.output
    assert tree_hash(out) == before
    leftovers = [p.name for p in out.parent.iterdir() if p.name.startswith(".out")]
    assert leftovers == []


def test_build_refuses_a_site_folder_that_would_delete_the_repository_or_committed_files(
        sample: Path) -> None:
    from gittools import commit_all, init

    init(sample)
    commit_all(sample, "The sample", "Sam Ple", "2026-11-20T09:00:00+00:00")
    before = {name: tree_hash(sample / name) for name in (".git", "overrides", "docs")}
    for folder, expected in ((".git", "would replace the git repository"),
                             (".git/objects", "would replace the git repository"),
                             ("overrides", "holds files committed to git"),
                             ("docs/stylesheets", "holds files committed to git")):
        result = run_cli("build", "--root", str(sample), "--as-of", AS_OF, "--site-dir",
                         str(sample / folder))
        assert result.exit_code == 2 and expected in result.output, (folder, result.output)
    assert {name: tree_hash(sample / name) for name in before} == before
    # A folder outside it that holds other files is not emptied either.
    notes = sample.parent / "notes"
    notes.mkdir()
    (notes / "notes.txt").write_text("important\n")
    refused = run_cli("build", "--root", str(sample), "--as-of", AS_OF, "--site-dir", str(notes))
    assert refused.exit_code == 2 and "holds files that are not a built site (notes.txt)" in \
        refused.output and "records:" not in refused.output  # refused before validating
    assert (notes / "notes.txt").read_text() == "important\n"
    # An index.html does not make a folder a built site.
    (notes / "index.html").write_text("<p>my own page</p>\n")
    refused = run_cli("build", "--root", str(sample), "--as-of", AS_OF, "--site-dir", str(notes))
    assert refused.exit_code == 2 and "holds files that are not a built site" in refused.output
    assert (notes / "notes.txt").exists()
    # Nor does naming the folder in mkdocs.yml (site_dir:) get round the check.
    config = sample / "mkdocs.yml"
    original = config.read_text()
    for named in ("retros", str(notes)):
        config.write_text(original + f"site_dir: {named}\n")
        refused = run_cli("build", "--root", str(sample), "--as-of", AS_OF)
        assert refused.exit_code == 2 and "site_dir in mkdocs.yml:" in refused.output, (
            named, refused.output)
    config.write_text(original)
    assert (notes / "notes.txt").exists()
    # A folder of its own inside the knowledge base (ignored by git) is fine.
    built = run_cli("build", "--root", str(sample), "--as-of", AS_OF, "--site-dir",
                    str(sample / "public"))
    assert built.exit_code == 0 and (sample / "public" / "index.html").exists()
    # And so is building into it again: it is a site built before.
    again = run_cli("build", "--root", str(sample), "--as-of", AS_OF, "--site-dir",
                    str(sample / "public"))
    assert again.exit_code == 0, again.output


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_a_relative_site_dir_means_where_the_command_runs(
        sample: Path, monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    """`--root kb --site-dir retros` from kb's parent: MkDocs read it against mkdocs.yml's
    folder and built over kb/retros (the check had looked at ./retros). Both engines now build
    into ./retros, beside the knowledge base, and every record stays."""
    if engine == "zensical":
        pytest.importorskip("zensical", reason="Zensical is not installed")
    before = _files(sample)
    monkeypatch.chdir(sample.parent)
    built = run_cli("build", "--root", sample.name, "--as-of", AS_OF, "--site-dir", "retros",
                    "--engine", engine)
    assert built.exit_code == 0, built.output
    assert (sample.parent / "retros" / "index.html").exists()
    assert _files(sample) == before


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_building_a_site_again_keeps_its_folder_s_hidden_files(
        sample: Path, tmp_path: Path, engine: str) -> None:
    """A checkout of the pages branch: its .git and .nojekyll stay through every build (the
    Zensical build replaced the whole folder, .git and all). A folder of someone's own hidden
    files (a home folder's) is refused, and left as it was."""
    if engine == "zensical":
        pytest.importorskip("zensical", reason="Zensical is not installed")
    pages = tmp_path / "pages"
    (pages / ".git").mkdir(parents=True)
    (pages / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (pages / ".nojekyll").write_text("")
    for _ in range(2):  # into the checkout, then over the site built there
        built = run_cli("build", "--root", str(sample), "--as-of", AS_OF, "--site-dir",
                        str(pages), "--engine", engine)
        assert built.exit_code == 0, built.output
        assert (pages / "index.html").is_file()
        assert (pages / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
        assert (pages / ".nojekyll").exists()
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    (home / ".bashrc").write_text("export EDITOR=vi\n")
    before = tree_hash(home)
    refused = run_cli("build", "--root", str(sample), "--as-of", AS_OF, "--site-dir", str(home),
                      "--engine", engine)
    assert refused.exit_code == 2 and "holds hidden files of its own (.bashrc, .config), not a " \
        "built site" in refused.output, refused.output
    assert tree_hash(home) == before and sorted(p.name for p in home.iterdir()) == [
        ".bashrc", ".config"]
