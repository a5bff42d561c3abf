"""The preview's web app: a fixed set of routes over one `Preview`, nothing else.

What it serves is the preview page and its two static files, the rendered HTML,
the PDF and its page images — never a file of the project or of the machine by
name, so no path in a request reaches the file system. The server is bound to
loopback (server.py), and a request whose Host header is not this server's own
is refused: a web page elsewhere cannot reach the preview through DNS
rebinding. Changing the template or language takes a JSON POST, which a page
of another origin cannot send without a CORS preflight that is never granted.

Changes reach the page as Server-Sent Events (one `state` message per change):
they need no extra library on either side and reconnect by themselves.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from .assets import ASSET_PREFIX
from .preview import Preview

HEARTBEAT_S = 15.0  # a comment line this often keeps proxies and the browser patient
_SHELL_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
              "frame-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
              "frame-ancestors 'none'")
# The brief's own page: self-contained (fonts and images are data: URLs), scriptless.
_PREVIEW_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data: 'self'; "
                "font-src data: 'self'; base-uri 'none'; form-action 'none'; "
                "frame-ancestors 'self'")
# A font or image of the page (an SVG may hold script: opened on its own, it runs none).
_ASSET_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
_COMMON_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                   "Cache-Control": "no-store"}
_STATIC = {"preview.js": "text/javascript", "preview.css": "text/css"}


class Changes:
    """A counter the preview's threads bump and the event streams wait on."""

    def __init__(self) -> None:
        self.revision = 0
        self.closed = False  # the server is stopping: event streams end
        self._event = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def bump(self) -> None:
        """Callable from any thread."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._bump)

    def close(self) -> None:
        """End every event stream (callable from any thread, e.g. a signal handler), so
        that the server stops at once rather than waiting on open pages."""
        self.closed = True
        self.bump()

    def _bump(self) -> None:
        self.revision += 1
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seen: int, timeout: float) -> None:
        if self.revision == seen:
            with anyio.move_on_after(timeout):
                await self._event.wait()


def _static(name: str) -> bytes:
    return (resources.files(__package__) / "static" / name).read_bytes()


def _chosen(body: object, known: dict[str, Any]) -> tuple[str | None, str | None] | str:
    """(template, lang) asked for by a /select body, or why it is refused."""
    if not isinstance(body, dict):
        return "expected a JSON object"
    template, lang = body.get("template"), body.get("lang")
    if template is not None and template not in {t["name"] for t in known["templates"]}:
        return f"unknown template {template!r}"
    if lang is not None and lang not in known["languages"]:
        return f"unknown language {lang!r}"
    return template, lang


class _Routes:
    """The request handlers, over one preview and its change counter."""

    def __init__(self, preview: Preview, changes: Changes, allowed_hosts: list[str]) -> None:
        self.preview, self.changes, self.allowed_hosts = preview, changes, allowed_hosts
        # choices are applied in the order they arrive (two quick changes of the menus
        # must not finish in the other order on the thread pool)
        self._choosing = anyio.Lock()

    async def shell(self, _request: Request) -> Response:
        return Response(_static("preview.html"), media_type="text/html",
                        headers={**_COMMON_HEADERS, "Content-Security-Policy": _SHELL_CSP})

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in _STATIC:
            return Response("not found", status_code=404)
        return Response(_static(name), media_type=_STATIC[name], headers=_COMMON_HEADERS)

    async def state(self, _request: Request) -> Response:
        return JSONResponse(self.preview.state(), headers=_COMMON_HEADERS)

    async def html(self, _request: Request) -> Response:
        return Response(self.preview.html, media_type="text/html", headers={
            **_COMMON_HEADERS, "Content-Security-Policy": _PREVIEW_CSP})

    async def asset(self, request: Request) -> Response:
        found = self.preview.asset(request.path_params["name"])
        if found is None:
            return Response("not found", status_code=404)
        # named by the hash of its bytes: it never changes, the browser may keep it
        return Response(found.data, media_type=found.media_type, headers={
            **_COMMON_HEADERS, "Cache-Control": "private, max-age=86400, immutable",
            "Content-Security-Policy": _ASSET_CSP})

    async def pdf(self, _request: Request) -> Response:
        current = self.preview.pdf()
        if current is None or not current.data:
            return Response("no PDF yet", status_code=404)
        name = f"{self.preview.state()['template'] or 'preview'}.pdf"
        return Response(current.data, media_type="application/pdf", headers={
            **_COMMON_HEADERS, "Content-Disposition": f'inline; filename="{name}"'})

    async def page(self, request: Request) -> Response:
        current = self.preview.pdf()
        version, number = request.path_params["version"], request.path_params["page"]
        if current is None or current.version != version or not (
                1 <= number <= len(current.pages)):
            return Response("no such page", status_code=404)
        # a version's pages never change: the browser may keep them
        return Response(current.pages[number - 1], media_type="image/png", headers={
            **_COMMON_HEADERS, "Cache-Control": "private, max-age=3600, immutable"})

    async def select(self, request: Request) -> Response:
        if request.headers.get("content-type", "").split(";")[0] != "application/json":
            return Response("expected JSON", status_code=415)
        origin = request.headers.get("origin")
        if origin is not None and origin.split("//", 1)[-1] not in self.allowed_hosts:
            return Response("cross-origin request refused", status_code=403)
        try:
            chosen = _chosen(json.loads(await request.body()), self.preview.state())
        except ValueError:
            chosen = "malformed JSON"
        if isinstance(chosen, str):
            return Response(chosen, status_code=400)
        async with self._choosing:
            await anyio.to_thread.run_sync(self.preview.select, *chosen)
        return Response(status_code=204)

    async def events(self, _request: Request) -> Response:
        async def stream() -> AsyncIterator[str]:
            seen = -1
            yield "retry: 500\n\n"  # reconnect quickly after a restart of the server
            while not self.changes.closed:
                revision = self.changes.revision
                if revision != seen:
                    seen = revision
                    yield f"event: state\ndata: {json.dumps(self.preview.state())}\n\n"
                else:
                    yield ": still here\n\n"
                await self.changes.wait(seen, HEARTBEAT_S)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={**_COMMON_HEADERS, "X-Accel-Buffering": "no"})

    async def nothing(self, _request: Request) -> Response:
        return Response(status_code=204)


def make_app(preview: Preview, *, allowed_hosts: list[str],
             background: Callable[[anyio.Event], Coroutine[Any, Any, None]] | None = None,
             on_ready: Callable[[], None] | None = None) -> Starlette:
    """The ASGI app. `background` runs for the life of the server (the file watcher)
    and ends when its event is set."""
    changes = Changes()
    handle = _Routes(preview, changes, allowed_hosts)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[dict[str, Any]]:
        changes.bind(asyncio.get_running_loop())
        preview.on_change = changes.bump
        await anyio.to_thread.run_sync(preview.start)
        stop = anyio.Event()
        async with anyio.create_task_group() as tasks:
            if background is not None:
                tasks.start_soon(background, stop)
            if on_ready is not None:
                on_ready()
            try:
                yield {}
            finally:
                stop.set()  # the watcher's thread sees this within its step
                preview.stop()

    routes = [
        Route("/", handle.shell),
        Route("/_/{name}", handle.static),
        Route("/state", handle.state),
        Route("/events", handle.events),
        Route("/html", handle.html),
        Route(ASSET_PREFIX + "{name}", handle.asset),
        Route("/pdf", handle.pdf),
        Route("/pdf/{version:int}/{page:int}.png", handle.page),
        Route("/select", handle.select, methods=["POST"]),
        Route("/favicon.ico", handle.nothing),
    ]
    hosts = sorted({h.rsplit(":", 1)[0].strip("[]") for h in allowed_hosts})
    app = Starlette(routes=routes, lifespan=lifespan, middleware=[
        Middleware(TrustedHostMiddleware, allowed_hosts=hosts)])
    app.state.close_streams = changes.close
    return app
