"""The built-in example project (a 2019 written declaration on Kazakhstan), the blank project,
and `briefgen init`."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from .clock import today
from .content.model import DEFAULT_LANGUAGE
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


# Files of the blank project with fields filled in at init: {language}, {today}…
# (only these names are replaced; other braces are YAML).
_FILLED = ("content/brief.yaml", "content/instrument.yaml", "content/letter.yaml")


def blank_dir() -> Path:
    return Path(str(resources.files("briefgen") / "blank"))


def init_project(target: Path, blank: bool = False, language: str | None = None,
                 assembly: str | None = None) -> list[Path]:
    """Copy the example, or a blank project, into a new folder; never overwrite a
    user's files. A blank project builds as it is, so the first edit can be
    checked straight away."""
    from .content.languages import known_languages

    language = language or DEFAULT_LANGUAGE
    clashes = [p for p in (target / CONFIG_NAME, target / "content") if p.exists()]
    if clashes:
        raise BriefgenError([Problem(str(p), None, None,
                                     "already exists; init never overwrites a project")
                             for p in clashes])
    if language not in known_languages():
        raise BriefgenError([Problem("--lang", None, None, f"'{language}'; expected one of "
                                     f"{', '.join(known_languages())}")])
    if blank and assembly is not None:
        from .content.assembly import load_assemblies, unknown_assembly

        known = load_assemblies(None)
        if assembly not in known:
            raise BriefgenError([Problem("--assembly", None, None,
                                         unknown_assembly(assembly, known))])
    source = blank_dir() if blank else example_dir()
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / "content", target / "content")
    shutil.copyfile(source / CONFIG_NAME, target / CONFIG_NAME)
    if blank:
        values = {"language": language, "languages": ", ".join(known_languages()),
                  "today": today().isoformat(),
                  "assembly_line": f"assembly: {assembly}" if assembly else
                  "# assembly: european-parliament      (`briefgen assembly list`)"}
        for name in _FILLED:
            path = target / name
            text = path.read_text("utf-8")
            for key, value in values.items():
                text = text.replace("{" + key + "}", value)
            path.write_text(text, "utf-8")
    (target / "templates").mkdir(exist_ok=True)
    readme = target / "templates" / "README.md"
    if not readme.exists():
        readme.write_text(TEMPLATES_README, "utf-8")
    gitignore = target / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("build/\n", "utf-8")
    return [target / CONFIG_NAME, target / "content", target / "templates"]


def next_steps(target: Path, blank: bool) -> str:
    """What to edit first, in the order a newcomer meets it."""
    if blank:
        return (f"Next, in {target}:\n"
                "  1. content/instrument.yaml   what the brief is about: assembly, kind, title,\n"
                "                               who tabled it (`briefgen assembly list`)\n"
                "  2. content/sources.yaml      the documents you rely on\n"
                "  3. content/brief.yaml        title, organisation, summary, asks\n"
                "  4. content/cases/            one file per person or group\n"
                "  5. content/letter.yaml and content/recipients.csv, for letters\n"
                f"Then: cd {target} && briefgen check && briefgen build")
    return (f"Next, in {target}: replace the example's content, starting with\n"
            "  content/brief.yaml (title, your organisation), content/declaration.yaml,\n"
            "  content/cases/, content/sources.yaml and content/recipients.csv;\n"
            "  `briefgen check` lists what is still the example's.\n"
            f"Then: cd {target} && briefgen build")
