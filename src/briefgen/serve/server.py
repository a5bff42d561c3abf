"""`briefgen serve`: bind to loopback, render, watch the files, serve until Ctrl-C.

The socket is bound here, before the server starts, so that the port is known
(a free one by default) when the URL is printed and when the allowed Host
names are fixed — and so that a taken port is a one-line error, not a
traceback from inside the server.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import FrameType

from ..assets import builtin_root
from ..errors import BriefgenError, Problem
from ..project import CONFIG_NAME, load_project
from .preview import Preview, Selection

LOG = logging.getLogger("briefgen.serve")
HOST = "127.0.0.1"


@dataclass(frozen=True)
class ServeRequest:
    project_dir: Path
    template: str | None = None
    lang: str | None = None
    port: int = 0  # 0: any free port
    allow_network: bool = False
    trust_project: bool = False


def bind(port: int) -> socket.socket:
    """A listening socket on loopback only; never on an outside interface."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        raise BriefgenError([Problem("--port", None, None, f"cannot listen on {HOST}:{port} "
                                     f"({exc.strerror}); choose another port, or leave "
                                     "--port out for a free one")]) from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def _watched(root: Path, trust_project: bool) -> tuple[list[Path], list[Path]]:
    """(folders to watch, folders to ignore in them): the project, briefgen's own
    templates and catalogs (a designer may be editing them), and the folders the
    project may read images from; not the output folder."""
    i18n_dir = Path(str(resources.files("briefgen.i18n")))
    roots, ignored = [root, builtin_root(), i18n_dir], [root / "build"]
    try:
        project = load_project(root)
    except BriefgenError:
        return roots, ignored  # shown on the page; the defaults will do until it is fixed
    ignored = [root / project.config.output]
    roots += [p for p in project.policy(trust_project=trust_project).allowed_paths
              if p.is_dir()]
    return roots, ignored


def serve(request: ServeRequest, *, ready: Callable[[str], None],
          open_browser: bool = False) -> None:
    """Serve the preview until interrupted; `ready` receives the URL once it answers."""
    import anyio
    import uvicorn

    from .app import make_app
    from .watch import changes

    root = request.project_dir.resolve()
    if not (root / CONFIG_NAME).is_file() and not (root / "content").is_dir():
        load_project(root)  # raises the usual "not a briefgen project" message
    sock = bind(request.port)
    port = sock.getsockname()[1]
    url = f"http://{HOST}:{port}/"
    preview = Preview(root, Selection(request.template, request.lang),
                      allow_network=request.allow_network,
                      trust_project=request.trust_project)
    roots, ignored = _watched(root, request.trust_project)

    async def watch(stop: anyio.Event) -> None:
        async for paths in changes(roots, ignored, stop=stop):
            shown = sorted(_shown(p, root) for p in paths)
            LOG.info("changed: %s", ", ".join(shown[:5]) + (" …" if len(shown) > 5 else ""))
            await anyio.to_thread.run_sync(preview.update, paths)

    def on_ready() -> None:
        ready(url)
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    app = make_app(preview, allowed_hosts=[f"{HOST}:{port}", f"localhost:{port}"],
                   background=watch, on_ready=on_ready)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                            timeout_graceful_shutdown=2)

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            app.state.close_streams()  # open pages would hold the shutdown up
            super().handle_exit(sig, frame)

    Server(config).run(sockets=[sock])


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
