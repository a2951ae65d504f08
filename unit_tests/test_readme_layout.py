"""README.md's layout table names every module and package of the connector (issue 21: a newcomer finds where a
thing lives from the file names and that table alone). A module added without its row fails here."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "source_paycor"


def layout_table() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Layout\n", 1)[1]
    return section.split("\n## ", 1)[0]


def named_in(table: str, relative: str) -> bool:
    """`streams/cursor.py` is named as itself, as `cursor.py` in its package's row, or in a row listing siblings."""
    name = relative.rsplit("/", 1)[-1]
    return f"`source_paycor/{relative}`" in table or re.search(rf"`{re.escape(name)}`", table) is not None


def test_every_module_of_the_connector_has_a_place_in_the_readme_layout_table():
    table = layout_table()
    modules = sorted(
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if path.name != "__init__.py" and "__pycache__" not in path.parts and not path.name.startswith("_")
    )
    assert len(modules) > 40  # the walk found the package
    missing = [module for module in modules if not named_in(table, module)]
    assert missing == [], f"modules without a row or mention in README.md's layout table: {missing}"


def test_every_subpackage_has_its_own_row():
    table = layout_table()
    packages = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("__init__.py"))
    for init in packages:
        folder = init.rsplit("/", 1)[0] if "/" in init else ""
        if folder:
            assert f"`source_paycor/{folder}/`" in table, folder
