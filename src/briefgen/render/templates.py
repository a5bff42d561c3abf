"""Finding templates: a project's own folder first, then the built-in set.

As in MkDocs' `custom_dir`, the lookup is a chain of folders, so a project can
replace one partial or stylesheet of a built-in template without copying the
rest, or add a whole template of its own: a folder with a `template.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from ..errors import BriefgenError, Problem

MANIFEST = "template.yaml"
SHARED = "_shared"


def builtin_root() -> Path:
    return Path(str(resources.files("briefgen") / "templates"))


@dataclass(frozen=True)
class TemplateSpec:
    name: str
    description: str
    formats: tuple[str, ...]
    entry: str
    stylesheets: tuple[str, ...]
    search_path: tuple[Path, ...] = field(default=())
    builtin: bool = True

    def find(self, relative: str) -> Path | None:
        """The first file of that name along the search path."""
        for folder in self.search_path:
            candidate = folder / relative
            if candidate.is_file():
                return candidate
        return None

    def stylesheet_paths(self) -> list[Path]:
        paths = []
        for name in self.stylesheets:
            path = self.find(name)
            if path is None:
                raise BriefgenError([Problem(f"template '{self.name}'", None, "stylesheets",
                                             f"stylesheet '{name}' not found in "
                                             f"{', '.join(str(p) for p in self.search_path)}")])
            paths.append(path)
        return paths


def _read_manifest(path: Path, name: str) -> dict:
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise BriefgenError([Problem(str(path), None, None, f"cannot read manifest: {exc}")]) \
            from None
    if not isinstance(data, dict):
        raise BriefgenError([Problem(str(path), None, None, "manifest must be a mapping")])
    return data


TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _spec(name: str, project_dir: Path | None) -> TemplateSpec | None:
    if not TEMPLATE_NAME.match(name) or ".." in name:
        return None  # no paths: a template name never leads out of the template folders
    builtin = builtin_root() / name
    project = project_dir / "templates" / name if project_dir else None
    folders = [p for p in (project, builtin) if p is not None and p.is_dir()
               and (p is builtin or _inside(p, project_dir))]
    manifests = [p / MANIFEST for p in folders if (p / MANIFEST).is_file()]
    if not manifests or name.startswith(("_", ".")):
        return None
    data = _read_manifest(manifests[0], name)
    search = (*folders, builtin_root() / SHARED)
    return TemplateSpec(
        name=name,
        description=str(data.get("description", "")),
        formats=tuple(data.get("formats", ["pdf", "html"])),
        entry=str(data.get("entry", f"{name}.html.j2")),
        stylesheets=tuple(data.get("stylesheets", ["style.css"])),
        search_path=search,
        builtin=builtin.is_dir() and not (project is not None and (project / MANIFEST).is_file()),
    )


def _inside(path: Path, root: Path | None) -> bool:
    """A project template folder that is a symlink out of the project is not used."""
    return root is not None and path.resolve().is_relative_to(root.resolve())


def list_templates(project_dir: Path | None) -> list[TemplateSpec]:
    names = {p.name for p in builtin_root().iterdir() if p.is_dir()}
    if project_dir and (project_dir / "templates").is_dir():
        names |= {p.name for p in (project_dir / "templates").iterdir() if p.is_dir()}
    specs = (_spec(n, project_dir) for n in sorted(names))
    return [s for s in specs if s is not None]


def find_template(name: str, project_dir: Path | None,
                  origin: tuple[str, int | None, str | None] = ("--template", None, None),
                  ) -> TemplateSpec:
    """origin: where the name was given (the option, or a line of briefgen.yaml)."""
    spec = _spec(name, project_dir)
    if spec is None:
        known = ", ".join(s.name for s in list_templates(project_dir)) or "none"
        raise BriefgenError([Problem(*origin, f"unknown template '{name}'; available: {known}")])
    return spec
