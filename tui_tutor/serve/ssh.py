"""``tui-tutor serve ssh``: an SSH server (asyncssh) that offers the tutor and nothing else.

This module decides who may log in and what a connection may open, and starts the server; each
session channel it grants is a :class:`tui_tutor.serve.ssh_session.TutorSSHSession` (the tutor on
a pty). Port forwarding (either way), agent and X11 forwarding, SFTP and scp are all refused.

Authentication: a learner's public keys from ``DIR/authorized_keys`` (the SSH user name is the
learner), or the class passphrase from ``DIR/passphrase`` for learners without a key listed. A
learner who has a key listed can only log in with it. Failed logins are slowed down and counted per
address; too many and that address is turned away for a while. With neither file the server
accepts any learner name without a password, and so refuses to listen beyond loopback.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import sys
import time
from collections import defaultdict, deque

import asyncssh

from tui_tutor.serve.classdir import ClassDir
from tui_tutor.serve.names import RULE, learner_name, loggable
from tui_tutor.serve.session import Hosting, close_hosting, open_hosting
from tui_tutor.serve.ssh_session import TutorSSHSession

log = logging.getLogger(__name__)

FAILURES_ALLOWED = 10  # failed logins from one address ...
FAILURE_WINDOW = 600.0  # ... within this many seconds, before the address is turned away
FAILURE_DELAY = 1.0  # seconds before a wrong passphrase is answered


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) only listens on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class FailureCounter:
    """Failed logins per client address, over a sliding window."""

    def __init__(self, allowed: int = FAILURES_ALLOWED, window: float = FAILURE_WINDOW):
        self.allowed, self.window = allowed, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, address: str) -> deque[float]:
        times = self._failures[address]
        cutoff = time.monotonic() - self.window
        while times and times[0] < cutoff:
            times.popleft()
        return times

    def failed(self, address: str) -> None:
        self._recent(address).append(time.monotonic())

    def blocked_for(self, address: str) -> float:
        """Seconds until ``address`` may try again (0 when it may now)."""
        times = self._recent(address)
        if len(times) < self.allowed:
            if not times:
                self._failures.pop(address, None)
            return 0.0
        return times[0] + self.window - time.monotonic()


class ClassServer:
    """What the SSH side shares between connections: authentication state and counters."""

    def __init__(self, hosting: Hosting, open_access: bool):
        self.hosting = hosting
        self.open_access = open_access  # no keys, no passphrase: loopback only
        self.failures = FailureCounter()
        self.logging_in = 0

    @property
    def class_dir(self) -> ClassDir:
        return self.hosting.class_dir


class _Connection(asyncssh.SSHServer):
    """One SSH connection: authentication and which channels it may open."""

    def __init__(self, server: ClassServer):
        self.server = server
        self.conn: asyncssh.SSHServerConnection | None = None
        self.peer = "?"
        self.learner: str | None = None
        self.raw_user = ""
        self.authenticated = False
        self.attempted = False
        self.counted = False

    # connection
    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername")
        self.peer = str(peer[0]) if peer else "?"
        server = self.server
        if server.logging_in >= server.hosting.limits.max_unauthenticated:
            log.warning("too many connections logging in at once; closing one from %s", self.peer)
            conn.abort()
            return
        server.logging_in += 1
        self.counted = True

    def connection_lost(self, exc: Exception | None) -> None:
        self._done_logging_in()
        if not self.authenticated and self.attempted and self.learner is not None:
            self.server.hosting.connections.write(
                "login-failed", transport="ssh", learner=self.learner, peer=self.peer
            )

    def _done_logging_in(self) -> None:
        if self.counted:
            self.counted = False
            self.server.logging_in -= 1

    def auth_completed(self) -> None:
        self.authenticated = True
        self._done_logging_in()

    # authentication
    def begin_auth(self, username: str) -> bool:
        assert self.conn is not None
        self.raw_user = username
        self.learner = learner_name(username)
        wait = self.server.failures.blocked_for(self.peer)
        if wait > 0:
            self._banner(f"Too many failed logins from your address; try again in {int(wait) // 60 + 1} minutes.")
            self.learner = None
            return True  # every method will fail
        if self.learner is None:
            self._banner(f"'{username[:40]}' cannot be a learner name: use {RULE}, as in ssh alice@host.")
            self.server.hosting.connections.write(
                "login-failed", transport="ssh", learner=loggable(username), peer=self.peer
            )
            return True
        if self.server.open_access:
            return False  # loopback without keys or passphrase: the name is enough
        keys = self.server.class_dir.authorized_keys()
        for problem in keys.problems:
            log.warning("%s", problem)
        if self.learner not in keys.keys and self.server.class_dir.passphrase() is None:
            self._banner(f"{self.learner} is not in this class's list of keys; ask your teacher to add your public key.")
        return True

    def _banner(self, text: str) -> None:
        assert self.conn is not None
        self.conn.send_auth_banner(f"tui-tutor: {text}\r\n")

    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        self.attempted = True
        if self.learner is None or learner_name(username) != self.learner:
            return False
        return self.server.class_dir.authorized_keys().allows(self.learner, key)

    def password_auth_supported(self) -> bool:
        try:
            return self.server.class_dir.passphrase() is not None
        except Exception:  # noqa: BLE001 - a broken passphrase file means no passphrase logins
            log.exception("cannot read the passphrase file")
            return False

    async def validate_password(self, username: str, password: str) -> bool:
        self.attempted = True
        server = self.server
        ok = False
        if self.learner is not None and learner_name(username) == self.learner:
            phrase = server.class_dir.passphrase()
            # Someone with a key listed logs in with it: the shared passphrase must not let a
            # classmate into their progress.
            has_key = self.learner in server.class_dir.authorized_keys().keys
            if phrase is not None and not has_key:
                ok = _same(password, phrase)
            elif has_key:
                self._banner(f"{self.learner} logs in with their key, not the class passphrase.")
        if not ok:
            server.failures.failed(self.peer)
            await asyncio.sleep(FAILURE_DELAY)
        return ok

    def kbdint_auth_supported(self) -> bool:
        return False

    def host_based_auth_supported(self) -> bool:
        return False

    # what may be opened
    def session_requested(self):
        assert self.learner is not None
        return TutorSSHSession(self.server.hosting, self.learner, self.peer)

    def connection_requested(self, dest_host, dest_port, orig_host, orig_port):
        log.info("refused port forwarding to %s:%s for %s", dest_host, dest_port, self.learner)
        return False

    def server_requested(self, listen_host, listen_port):
        log.info("refused remote port forwarding for %s", self.learner)
        return False

    def unix_connection_requested(self, dest_path):
        return False

    def unix_server_requested(self, listen_path):
        return False


def _same(given: str, expected: str) -> bool:
    import hmac

    return hmac.compare_digest(given.encode(), expected.encode())


async def start_ssh_server(server: ClassServer, host: str, port: int):
    """Listen for SSH connections; returns asyncssh's server object (``close()`` to stop)."""
    limits = server.hosting.limits
    return await asyncssh.create_server(
        lambda: _Connection(server),
        host,
        port,
        server_host_keys=[server.class_dir.host_key()],
        encoding=None,  # bytes both ways: the tutor's output goes through untouched
        line_editor=False,
        agent_forwarding=False,
        x11_forwarding=False,
        allow_scp=False,
        sftp_factory=None,
        login_timeout=limits.login_timeout,
        keepalive_interval=15,  # a silently dropped client is noticed within a minute
        keepalive_count_max=4,
        server_version="tui-tutor",
    )


def prepare_ssh(args, class_dir: ClassDir, limits):
    """Check the class folder and the address; returns the coroutine function that serves.

    Raises ValueError (or ClassDirError) with a message for the teacher when it cannot serve.
    """
    keys = class_dir.authorized_keys()
    for problem in keys.problems:
        print(f"tui-tutor serve ssh: warning: {problem} (line skipped)", file=sys.stderr)
    passphrase = class_dir.passphrase()
    open_access = not keys.keys and passphrase is None
    if open_access and not is_loopback(args.host):
        raise ValueError(
            f"refusing to listen on {args.host} with no authentication: put learners' keys in "
            f"{class_dir.root / 'authorized_keys'} (lines like 'alice ssh-ed25519 AAAA...') or a class "
            f"passphrase in {class_dir.root / 'passphrase'} (chmod 600), or listen on 127.0.0.1"
        )
    fingerprint = class_dir.host_key_fingerprint()
    if open_access:
        auth = "none (loopback only): any learner name is accepted"
    else:
        auth = ", ".join(
            part for part in (
                f"{sum(len(v) for v in keys.keys.values())} keys for {len(keys.keys)} learners" if keys.keys else "",
                "the class passphrase" if passphrase is not None else "",
            ) if part
        )  # fmt: skip

    async def serve(stop: asyncio.Event) -> int:
        hosting = await open_hosting(class_dir, limits, args.content, stop)
        server = ClassServer(hosting, open_access)
        try:
            listener = await start_ssh_server(server, args.host, args.port)
        except BaseException:
            await close_hosting(hosting)
            raise
        port = listener.sockets[0].getsockname()[1]
        shown_host = args.host if ":" not in args.host else f"[{args.host}]"
        print(f"tui-tutor serve ssh: listening on {args.host}:{port}", flush=True)
        print(f"  learners connect with: ssh -p {port} NAME@{shown_host}", flush=True)
        print(f"  host key: {fingerprint}", flush=True)
        print(f"  logins: {auth}", flush=True)
        print(f"  progress: {class_dir.learners}/NAME   log: {class_dir.connection_log}", flush=True)
        print("  Ctrl+C stops the server (every learner's progress is already saved)", flush=True)
        log.info("listening on %s:%s (%s)", args.host, port, auth)
        await stop.wait()
        log.info("stopping")
        listener.close()
        await close_hosting(hosting)
        return 0

    return serve
