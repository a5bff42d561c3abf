"""briefgen's own files, shipped inside the package: the built-in templates and fonts.

Several layers need to know where they are (the project's resource policy
trusts them, the template lookup ends in them, a batch fingerprints them), and
none of those layers should import another just to ask.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def builtin_root() -> Path:
    """The folder of built-in templates; `_shared/` in it holds the base page and fonts."""
    return Path(str(resources.files("briefgen") / "templates"))
