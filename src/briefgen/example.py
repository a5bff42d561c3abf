"""The built-in example project (the PACE Kazakhstan declaration) and `briefgen init`."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from .errors import BriefgenError, Problem
from .project import CONFIG_NAME

TEMPLATES_README = """\
# Project templates

Put a file here to replace one piece of a built-in template without copying the
rest: `templates/brief/partials/cover.html.j2` replaces only the brief's cover,
`templates/brief/style.css` replaces its stylesheet. A folder with its own
`template.yaml` is a new template (`briefgen build --template NAME`).
"""


def example_dir() -> Path:
    """Where the example lives: inside the installed package, or the repository root.

    A wheel carries a copy under briefgen/example/; an editable install of the
    repository reads the root project itself, which is the same content.
    """
    packaged = Path(str(resources.files("briefgen") / "example"))
    if (packaged / "content").is_dir():
        return packaged
    repo_root = Path(__file__).resolve().parents[2]
    if (repo_root / "content").is_dir() and (repo_root / CONFIG_NAME).is_file():
        return repo_root
    raise BriefgenError([Problem("briefgen", None, None,
                                 "the built-in example is missing from this installation")])


def init_project(target: Path) -> list[Path]:
    """Copy the example into a new folder; never overwrite a user's files."""
    source = example_dir()
    clashes = [p for p in (target / CONFIG_NAME, target / "content") if p.exists()]
    if clashes:
        raise BriefgenError([Problem(str(p), None, None,
                                     "already exists; init never overwrites a project")
                             for p in clashes])
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / "content", target / "content")
    shutil.copyfile(source / CONFIG_NAME, target / CONFIG_NAME)
    (target / "templates").mkdir(exist_ok=True)
    readme = target / "templates" / "README.md"
    if not readme.exists():
        readme.write_text(TEMPLATES_README, "utf-8")
    gitignore = target / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("build/\n", "utf-8")
    return [target / CONFIG_NAME, target / "content", target / "templates"]
