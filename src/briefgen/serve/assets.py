"""The preview's page without its big `data:` URLs: fonts and images served once, kept.

A built HTML file carries its fonts and images inline (about 170 kB for the
example's eight fonts, subset to the page) so that it stands alone. The preview's
page carries them whole (2 MB; cutting them again after every edit that brings a new
character would cost two seconds): re-sent on every save, the browser would decode
them all again each time; here each one becomes a URL
named by the hash of its bytes, which the browser caches for good, and the page
itself shrinks to the text. Only what the rendered page held is ever served.
The page's own Content-Security-Policy (render/inert.py) allows images and fonts
from data: URLs only; here it also allows them from the preview server.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from ..render.inert import CSP_META

INLINE_LIMIT = 4096  # smaller data: URLs stay where they are
_SERVED_CSP_META = CSP_META.replace("img-src data:", "img-src data: 'self'").replace(
    "font-src data:", "font-src data: 'self'").encode("ascii")
ASSET_PREFIX = "/asset/"
_SPACE = b" \t\r\n\f\v"  # what may break a base64 payload's lines
_DATA_URL = re.compile(
    rb"data:(?P<type>[a-z0-9.+-]+/[a-z0-9.+-]+)(?P<params>(?:;[a-z0-9=.+-]+)*?);base64,"
    rb"(?P<data>[A-Za-z0-9+/=\s]{%d,})" % INLINE_LIMIT, re.IGNORECASE)


@dataclass(frozen=True)
class Asset:
    media_type: str
    data: bytes


def split_assets(html: bytes) -> tuple[bytes, dict[str, Asset]]:
    """(the page with each large base64 `data:` URL replaced by an asset URL, the assets
    by name). A URL that does not decode is left as it was."""
    assets: dict[str, Asset] = {}

    def replace(match: re.Match[bytes]) -> bytes:
        try:
            data = base64.b64decode(match["data"].translate(None, _SPACE), validate=True)
        except (binascii.Error, ValueError):
            return match[0]
        name = hashlib.sha256(data).hexdigest()[:32]
        assets[name] = Asset(match["type"].decode("ascii").lower(), data)
        return f"{ASSET_PREFIX}{name}".encode("ascii")

    page = _DATA_URL.sub(replace, html)
    if assets:
        page = page.replace(CSP_META.encode("ascii"), _SERVED_CSP_META, 1)
    return page, assets
