"""``tui-tutor serve web``: the same tutor in a browser tab, through textual-serve.

textual-serve runs one app process per browser tab and relays its output to xterm.js over a
websocket. We keep its page, scripts and relay (``AppService``) and change what it does not offer:

- *who*: the page asks for the learner's name once (remembered in a cookie) or takes it from the
  URL (``/?name=alice``), and each tab's tutor gets ``TUI_TUTOR_HOME=DIR/learners/<name>``;
- *how it starts*: not a shell command line but the spawner, with the same limits, environment
  and process-tree clean-up as an SSH session;
- *who may connect*: beyond loopback the class token must be in the URL (``/?token=...``); the
  websocket only opens with a one-use ticket issued by a page that passed that check, and only
  from the same origin; on loopback the Host header must be a loopback name (DNS rebinding).
"""

from __future__ import annotations

import asyncio
import hmac
import html
import logging
import os
import secrets
import time
from contextlib import suppress
from urllib.parse import quote, urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from tui_tutor.serve.classdir import ClassDir
from tui_tutor.serve.limits import clamp_size
from tui_tutor.serve.names import RULE, learner_name
from tui_tutor.serve.session import ENDED_DISCONNECTED, Hosting, Session, close_hosting, open_hosting
from tui_tutor.serve.ssh import is_loopback

log = logging.getLogger(__name__)

NAME_COOKIE = "tui_tutor_learner"
TICKET_SECONDS = 60.0
STOP_GRACE = 2.0  # seconds a tutor has to quit when its tab closes before it is ended

# Variables of textual-serve's environment the tutor needs to draw for xterm.js.
_WEB_VARIABLES = ("TEXTUAL_DRIVER", "TEXTUAL_FPS", "TEXTUAL_COLOR_SYSTEM", "TERM_PROGRAM",
                  "TERM_PROGRAM_VERSION", "COLUMNS", "ROWS")  # fmt: skip


class _PipeProcess:
    """What AppService reads from its process: the tutor's stdout and stderr as StreamReaders."""

    def __init__(self, stdout: asyncio.StreamReader, stderr: asyncio.StreamReader):
        self.stdout, self.stderr = stdout, stderr


class TutorAppService(AppService):
    """textual-serve's relay for one tab, with the tutor started by the spawner."""

    def __init__(self, session: WebSession, **kwargs):
        super().__init__("tui-tutor", **kwargs)
        self.session = session

    async def _open_app_process(self, width: int = 80, height: int = 24):
        served = self._build_environment(width=width, height=height)
        extra = {name: served[name] for name in _WEB_VARIABLES if name in served}
        started = await self.session.start([], "xterm-256color", {}, None, extra)
        if started is None:
            raise ConnectionError("the tutor did not start")
        loop = asyncio.get_running_loop()
        stdin_fd, stdout_fd, stderr_fd = started.fds
        stdout = asyncio.StreamReader(limit=2**20)
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdout), os.fdopen(stdout_fd, "rb", 0))
        # textual-serve copies an app's stderr onto the server's own terminal; ours goes to the
        # server's log instead, and AppService is handed a stream that is already at its end.
        errors = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(errors), os.fdopen(stderr_fd, "rb", 0))
        self._stderr_task = asyncio.ensure_future(_log_stderr(errors, self.session.id))
        stderr = asyncio.StreamReader()
        stderr.feed_eof()
        transport, protocol = await loop.connect_write_pipe(
            asyncio.streams.FlowControlMixin, os.fdopen(stdin_fd, "wb", 0)
        )
        self._stdin = asyncio.StreamWriter(transport, protocol, None, loop)
        self._process = _PipeProcess(stdout, stderr)
        return self._process

    async def send_bytes(self, data: bytes) -> bool:
        self.session.input_arrived()
        return await super().send_bytes(data)

    async def set_terminal_size(self, width: int, height: int) -> None:
        self.session.size = clamp_size(width, height)
        await super().set_terminal_size(*self.session.size)

    async def stop(self) -> None:
        """Ask the tutor to quit; end its tree if it has not within a moment."""
        if self._task is not None:
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
            with suppress(Exception):
                await self.send_meta({"type": "quit"})
            with suppress(asyncio.TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(self._task), STOP_GRACE)
            self._task.cancel()
            self._task = None
        self.session.end(ENDED_DISCONNECTED)
        if self._stdin is not None:
            with suppress(Exception):
                self._stdin.close()


class WebSession(Session):
    """A browser tab's session."""

    transport = "web"

    def __init__(self, hosting: Hosting, learner: str, peer: str, websocket: web.WebSocketResponse):
        super().__init__(hosting, learner, peer)
        self.websocket = websocket
        self.service: TutorAppService | None = None

    def write_client(self, data: bytes) -> None:
        if not self.websocket.closed:
            asyncio.ensure_future(self.websocket.send_bytes(data))

    def close_client(self, line: str | None, status: int) -> None:
        async def close() -> None:
            with suppress(Exception):
                if line and not self.websocket.closed:
                    await self.websocket.send_bytes(f"\r\ntui-tutor: {line}\r\n".encode())
                await self.websocket.close()

        asyncio.ensure_future(close())

    def notice_withdrawn(self) -> None:
        if self.service is not None and not self.ended:
            asyncio.ensure_future(self.service.set_terminal_size(*self.size))


class WebClassServer(Server):
    """textual-serve's server with learners, a class token and our own process start."""

    def __init__(self, hosting: Hosting, token: str | None, loopback: bool):
        super().__init__("tui-tutor", title="tui-tutor")
        self.hosting = hosting
        self.token = token
        self.loopback = loopback
        self.tickets: dict[str, tuple[str, float]] = {}

    async def _make_app(self) -> web.Application:
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws/{ticket}", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, name="static"),
        ])  # fmt: skip
        return app

    # the page
    def _host_allowed(self, request: web.Request) -> bool:
        if not self.loopback:
            return True  # the token protects it
        host = urlsplit(f"//{request.host}").hostname or ""
        return is_loopback(host)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if not self._host_allowed(request):
            return _page(403, "Not here", "<p>Open this page at its loopback address (127.0.0.1).</p>")
        given = request.query.get("token", "")
        if self.token is not None and not hmac.compare_digest(given.encode(), self.token.encode()):
            return _page(403, "This class needs its link",
                         "<p>Open the full link your teacher gave you: it ends with <code>?token=...</code>.</p>")  # fmt: skip
        raw = request.query.get("name")
        if raw is None:
            raw = request.cookies.get(NAME_COOKIE)
            if raw is None:
                return _name_form(given if self.token else None)
        name = learner_name(raw)
        if name is None:
            return _name_form(given if self.token else None, f"That cannot be a learner name: use {RULE}.")
        self._forget_old_tickets()
        ticket = secrets.token_urlsafe(18)
        self.tickets[ticket] = (name, time.monotonic() + TICKET_SECONDS)
        scheme = "wss" if request.secure else "ws"
        context = {
            "font_size": _int(request.query.get("fontsize"), 16, 8, 40),
            "app_websocket_url": f"{scheme}://{request.host}/ws/{ticket}",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": f"tui-tutor · {name}"},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.set_cookie(NAME_COOKIE, name, max_age=365 * 24 * 3600, httponly=True, samesite="Strict")
        response.headers["Cache-Control"] = "no-store"
        return response

    def _forget_old_tickets(self) -> None:
        now = time.monotonic()
        for ticket in [t for t, (_, expires) in self.tickets.items() if expires < now]:
            del self.tickets[ticket]

    # the terminal
    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        entry = self.tickets.pop(request.match_info["ticket"], None)
        origin = request.headers.get("Origin")
        if entry is None or entry[1] < time.monotonic():
            raise web.HTTPForbidden(text="this page has expired: reload it")
        if origin is not None and urlsplit(origin).netloc != request.host:
            raise web.HTTPForbidden(text="wrong origin")
        name = entry[0]
        peer = request.remote or "?"
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=1024 * 1024)
        await websocket.prepare(request)
        refusal = self.hosting.refusal(name)
        if refusal:
            self.hosting.connections.write("refused", transport="web", learner=name, peer=peer, reason=refusal)
            await websocket.send_bytes(f"tui-tutor: {refusal}\r\n".encode())
            await websocket.close()
            return websocket
        session = WebSession(self.hosting, name, peer, websocket)
        service = TutorAppService(
            session, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
            close=websocket.close, download_manager=self.download_manager,
        )  # fmt: skip
        session.service = service
        width, height = clamp_size(_int(request.query.get("width"), 80), _int(request.query.get("height"), 24))
        session.size = (width, height)
        try:
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except (ConnectionError, asyncio.CancelledError):
            pass
        except Exception:  # noqa: BLE001 - one tab's trouble must not stop the server
            log.exception("web session %s", session.id)
        finally:
            with suppress(Exception):
                await service.stop()
            session.end(ENDED_DISCONNECTED)
        return websocket

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
        # textual-serve's loop, without its assert on malformed messages (a client's word).
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = message.json()
                kind, data = envelope[0], envelope[1]
                if kind == "stdin":
                    await app_service.send_bytes(str(data).encode("utf-8"))
                elif kind == "resize":
                    await app_service.set_terminal_size(_int(data["width"], 80), _int(data["height"], 24))
                elif kind == "ping":
                    await websocket.send_json(["pong", data])
                elif kind == "blur":
                    await app_service.blur()
                elif kind == "focus":
                    await app_service.focus()
            except (ValueError, TypeError, KeyError, IndexError):
                continue


async def _log_stderr(stream: asyncio.StreamReader, session: str, limit: int = 4096) -> None:
    kept = b""
    with suppress(Exception):
        while chunk := await stream.read(4096):
            kept = (kept + chunk)[:limit]
    if kept.strip():
        log.info("session %s wrote on stderr: %s", session, kept.decode(errors="replace").strip())


def _int(value, default: int, low: int = 1, high: int = 100_000) -> int:
    try:
        return min(max(int(value), low), high)
    except (TypeError, ValueError):
        return default


def _page(status: int, title: str, body: str) -> web.Response:
    text = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>tui-tutor</title>"
        "<style>body{font-family:monospace;background:#0c181f;color:#eee;max-width:40em;margin:4em auto}"
        "input,button{font:inherit;padding:.3em}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return web.Response(status=status, text=text, content_type="text/html",
                        headers={"Cache-Control": "no-store"})  # fmt: skip


def _name_form(token: str | None, problem: str | None = None) -> web.Response:
    hidden = f"<input type='hidden' name='token' value='{html.escape(token, quote=True)}'>" if token else ""
    error = f"<p><strong>{html.escape(problem)}</strong></p>" if problem else ""
    body = (
        f"{error}<form method='get' action='/'>{hidden}"
        "<p><label>Your name for this class: <input name='name' autofocus required maxlength='32' "
        "pattern='[A-Za-z][A-Za-z0-9_-]*'></label> <button>Start</button></p></form>"
        f"<p>Your progress is kept under this name. Use {html.escape(RULE)}.</p>"
    )
    return _page(200, "tui-tutor", body)


def class_url(host: str, port: int, token: str | None) -> str:
    """The link a teacher hands out."""
    shown = f"[{host}]" if ":" in host else host
    query = f"/?token={quote(token)}" if token else "/"
    return f"http://{shown}:{port}{query}"


def prepare_web(args, class_dir: ClassDir, limits):
    """Check the class folder and the address; returns the coroutine function that serves."""
    loopback = is_loopback(args.host)
    token = None if loopback else class_dir.web_token()

    async def serve(stop: asyncio.Event) -> int:
        hosting = await open_hosting(class_dir, limits, args.content, stop)
        server = WebClassServer(hosting, token, loopback)
        runner = web.AppRunner(await server._make_app(), access_log=None, handle_signals=False)
        await runner.setup()
        try:
            site = web.TCPSite(runner, args.host, args.port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            await close_hosting(hosting)
            raise
        port = site._server.sockets[0].getsockname()[1]  # the real port when --port 0
        print(f"tui-tutor serve web: listening on {args.host}:{port}", flush=True)
        shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
        print(f"  learners open: {class_url(shown, port, token)}", flush=True)
        if token:
            print(f"  (the token is in {class_dir.root / 'web-token'}; delete the file to change it)", flush=True)
        print(f"  progress: {class_dir.learners}/NAME   log: {class_dir.connection_log}", flush=True)
        print("  Ctrl+C stops the server (every learner's progress is already saved)", flush=True)
        log.info("web: listening on %s:%s", args.host, port)
        await stop.wait()
        log.info("stopping")
        await close_hosting(hosting)
        await runner.cleanup()
        return 0

    return serve
