"""The README's CLI reference is the commands' own --help, and the README names its two commands."""

from __future__ import annotations

import re

from conftest import REPO
from ficshelf.clidoc import END, START, render_reference


def test_cli_reference_matches_help() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(re.escape(START) + r"(.*?)" + re.escape(END), readme, re.S)
    assert block, "README lacks the generated CLI reference block"
    assert block.group(1).strip() == render_reference().strip(), (
        "README's CLI reference is stale: run `python -m ficshelf.clidoc README.md`"
    )


def test_readme_names_run_and_test_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
