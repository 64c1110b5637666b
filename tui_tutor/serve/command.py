"""The ``serve`` subcommand: its arguments, and starting and stopping a class server.

Only argparse is imported at module level: ``build_parser`` runs on every ``tui-tutor`` start,
and the hosting libraries (asyncssh, textual-serve) are an optional extra loaded only by ``serve``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

from tui_tutor.serve.limits import Limits

EXTRA_HINT = "tui-tutor serve needs the hosting extras: pip install 'tui-tutor[serve]'"
_DEFAULTS = Limits()


def add_serve_parser(sub, parser_class) -> None:
    """Add ``serve ssh`` and ``serve web`` to the CLI's subcommands."""
    serve = sub.add_parser(
        "serve", help="host a class: the tutor over SSH or in the browser, one per learner",
        description=(
            "Host a class from one machine. Every learner gets their own tutor process and their own "
            "progress in DIR/learners/NAME. See the README's 'Host a class'."
        ),
    )  # fmt: skip
    kinds = serve.add_subparsers(dest="serve_kind", metavar="KIND", parser_class=parser_class)
    kinds.required = True
    for kind, port, text in (
        ("ssh", 2222, "an SSH server: learners run ssh -p PORT NAME@HOST"),
        ("web", 8000, "a web server: learners open a link in a browser"),
    ):
        p = kinds.add_parser(kind, help=text, description=f"Serve the tutor as {text}.")
        p.add_argument("--class-dir", metavar="DIR", type=Path, required=True,
                       help="the class folder: keys, passphrase, learners' progress, logs")  # fmt: skip
        p.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1; 0.0.0.0 for every network)")  # fmt: skip
        p.add_argument("--port", type=int, default=port, help=f"port (default {port}; 0 picks a free one)")
        p.add_argument("--content", metavar="DIR", type=Path, help="serve another content folder")
        p.add_argument("--max-sessions", type=int, default=_DEFAULTS.max_sessions, metavar="N",
                       help=f"sessions at once (default {_DEFAULTS.max_sessions})")  # fmt: skip
        p.add_argument("--max-per-learner", type=int, default=_DEFAULTS.max_per_learner, metavar="N",
                       help=f"sessions at once for one learner (default {_DEFAULTS.max_per_learner})")  # fmt: skip
        p.add_argument("--memory-mb", type=int, default=_DEFAULTS.memory_mb, metavar="MB",
                       help=f"memory of one session, app and engine together (default {_DEFAULTS.memory_mb})")  # fmt: skip
        p.add_argument("--cpu-percent", type=float, default=_DEFAULTS.cpu_percent, metavar="P",
                       help=f"share of one core a session may keep busy over a minute (default {_DEFAULTS.cpu_percent:g})")  # fmt: skip
        p.add_argument("--idle-minutes", type=float, default=_DEFAULTS.idle_minutes, metavar="M",
                       help=f"close a session after M minutes without a key (default {_DEFAULTS.idle_minutes:g})")  # fmt: skip


def limits_from(args: argparse.Namespace) -> Limits:
    """The limits the command line asks for (checked: each must be positive)."""
    for option in ("max_sessions", "max_per_learner", "memory_mb", "cpu_percent", "idle_minutes"):
        if getattr(args, option) <= 0:
            raise ValueError(f"--{option.replace('_', '-')} must be more than 0")
    return Limits(
        max_sessions=args.max_sessions, max_per_learner=args.max_per_learner, memory_mb=args.memory_mb,
        cpu_percent=args.cpu_percent, idle_minutes=args.idle_minutes,
        idle_notice=min(_DEFAULTS.idle_notice, args.idle_minutes * 60 / 2),
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """``tui-tutor serve ssh|web``: serve until Ctrl+C or SIGTERM."""
    try:
        import aiohttp  # noqa: F401 - textual-serve's web stack
        import asyncssh  # noqa: F401
        import textual_serve  # noqa: F401
    except ImportError:
        print(EXTRA_HINT, file=sys.stderr)
        return 2
    from tui_tutor.serve.classdir import ClassDir, ClassDirError

    try:
        limits = limits_from(args)
        if args.content is not None and not args.content.is_dir():
            raise ValueError(f"no content folder at {args.content}")
        class_dir = ClassDir(args.class_dir)
        class_dir.prepare()
        _log_to(class_dir.server_log)
        if args.serve_kind == "ssh":
            from tui_tutor.serve.ssh import prepare_ssh as prepare
        else:
            from tui_tutor.serve.web import prepare_web as prepare
        serve = prepare(args, class_dir, limits)
    except (ValueError, ClassDirError) as err:
        print(f"tui-tutor serve {args.serve_kind}: {err}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_serve_until_stopped(serve))
    except OSError as err:  # the port is taken, the address is not this machine's, ...
        print(f"tui-tutor serve {args.serve_kind}: cannot listen on {args.host}:{args.port}: {err.strerror or err}",
              file=sys.stderr)  # fmt: skip
        return 2


async def _serve_until_stopped(serve) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(sig, stop.set)
    return await serve(stop)


class _ServerMessagesOnce(logging.Filter):
    """The server's own warnings (not the libraries'), each distinct message once."""

    def __init__(self) -> None:
        super().__init__()
        self._seen: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("tui_tutor.serve"):
            return False
        message = record.getMessage()
        if message in self._seen:
            return False
        self._seen.add(message)
        return True


def _log_to(path: Path) -> None:
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # The handler the CLI installed before (logfile.configure: tui-tutor.log in the teacher's own
    # settings folder, never the console) keeps only our warnings; serve.log has everything.
    for existing in root.handlers:
        if existing is not handler:
            existing.setLevel(logging.WARNING)
            existing.addFilter(lambda record: record.name.startswith("tui_tutor"))
    # The teacher watching the server's terminal sees what goes wrong while it runs (a bad line
    # added to authorized_keys during class, the spawner gone), each message once.
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter("tui-tutor serve: %(levelname)s: %(message)s"))
    console.addFilter(_ServerMessagesOnce())
    root.addHandler(console)
    # asyncssh logs commands and environment variables at INFO/DEBUG: never in our files.
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
