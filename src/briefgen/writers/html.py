"""The brief as one self-contained web page: styles, fonts and images inlined.

A single file survives being emailed or put on a USB stick, which is how briefs
travel; linking to a folder of assets would break on the first forward.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import escape

from ..errors import display_path
from ..render.document import RenderedDocument
from ..resources import RefusedResource, ResourcePolicy, policy_problem

_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc=")([^"]+)(")""")
_MIME = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2",
         ".svg": "image/svg+xml"}


def _data_uri(path: Path) -> str:
    mime = _MIME.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] \
        or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_url(target: str, base: Path, policy: ResourcePolicy, where: str) -> str:
    """A local file becomes a data: URL; anything the policy refuses fails the build."""
    if target.startswith(("#", "data:")):
        return target
    try:
        resolved = policy.resolve(target, base)
    except RefusedResource as exc:
        raise policy_problem(where, exc) from None
    if isinstance(resolved, str):
        if urlsplit(resolved).scheme == "file":
            resolved = Path(unquote(urlsplit(resolved).path))
        else:
            return resolved  # a web address the project allows: the reader's browser loads it
    return _data_uri(resolved) if resolved.is_file() else target


def _inline_css(path: Path, policy: ResourcePolicy) -> str:
    css = path.read_text("utf-8")
    return _CSS_URL.sub(
        lambda m: f'url("{_inline_url(m.group(2), path.parent, policy, _shown(path, policy))}")',
        css)


def _shown(path: Path, policy: ResourcePolicy) -> str:
    return display_path(path, policy.project_root)


def write_html(doc: RenderedDocument) -> bytes:
    policy = doc.resources()
    styles = "\n".join(f"<style>/* {escape(p.name)} */\n{_inline_css(p, policy)}</style>"
                       for p in doc.stylesheets)
    html = doc.html.replace("</head>", styles + "\n</head>", 1)
    where = f"template '{doc.template.name}'"
    html = _IMG_SRC.sub(lambda m: m.group(1) + _inline_url(m.group(2), doc.base_dir, policy,
                                                            where) + m.group(3), html)
    return html.encode("utf-8")
