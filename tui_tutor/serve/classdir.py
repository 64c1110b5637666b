"""The class folder ``DIR``: everything a hosted class keeps, in one place the teacher can back up.

::

    DIR/ssh_host_ed25519_key   the server's identity, generated once (mode 600) and reused
    DIR/authorized_keys        the teacher's list: one learner per line, "NAME ssh-ed25519 AAAA..."
    DIR/passphrase             optional: one class passphrase for a lab without keys (mode 600)
    DIR/web-token              the token browser links carry when serving beyond loopback (600)
    DIR/learners/NAME/         each learner's TUI_TUTOR_HOME: progress.sqlite3, settings
    DIR/connections.log        who connected, when, for how long, why it ended (JSON lines)
    DIR/serve.log              the server's own diagnostics

Secrets are files the teacher controls, never command-line arguments (which other users of the
machine can read in ``ps``). A secret file others can read is refused, as OpenSSH refuses one.
"""

from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui_tutor.serve.names import RULE, learner_name

HOST_KEY = "ssh_host_ed25519_key"
AUTHORIZED_KEYS = "authorized_keys"
PASSPHRASE = "passphrase"
WEB_TOKEN = "web-token"
LEARNERS = "learners"
CONNECTION_LOG = "connections.log"
SERVER_LOG = "serve.log"
MIN_PASSPHRASE = 8
_KEY_TYPES = ("ssh-", "ecdsa-", "sk-", "rsa-", "x509v3-")


class ClassDirError(Exception):
    """A problem with the class folder the teacher can fix; the message says how."""


@dataclass
class AuthorizedKeys:
    """Public keys by learner name, and the lines that could not be read (``file:line: why``)."""

    keys: dict[str, list[Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def allows(self, name: str, key: Any) -> bool:
        """Whether ``key`` is one of ``name``'s keys."""
        wanted = key.public_data
        return any(k.public_data == wanted for k in self.keys.get(name, ()))


class ClassDir:
    """Paths and files of one class folder."""

    def __init__(self, root: Path | str):
        self.root = Path(root).expanduser().absolute()

    @property
    def learners(self) -> Path:
        return self.root / LEARNERS

    @property
    def connection_log(self) -> Path:
        return self.root / CONNECTION_LOG

    @property
    def server_log(self) -> Path:
        return self.root / SERVER_LOG

    def prepare(self) -> None:
        """Create the folder and ``learners/`` (private to the teacher's account)."""
        try:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            self.learners.mkdir(mode=0o700, exist_ok=True)
        except OSError as err:
            raise ClassDirError(f"cannot create the class folder {self.root}: {err.strerror}") from None
        if not self.root.is_dir():
            raise ClassDirError(f"{self.root} is not a folder")

    # -- learners ------------------------------------------------------------------------------

    def learner_home(self, name: str) -> Path:
        """``DIR/learners/<name>``, created if new. ``name`` must already be a learner name."""
        if learner_name(name) != name:
            raise ValueError(f"not a learner name: {name!r}")
        home = self.learners / name
        try:
            home.mkdir(mode=0o700, exist_ok=True)
        except OSError as err:
            raise ClassDirError(f"cannot create {home}: {err.strerror}") from None
        # A symlink planted here would send a learner's progress elsewhere: refuse it.
        if home.is_symlink() or not stat.S_ISDIR(home.lstat().st_mode):
            raise ClassDirError(f"{home} is not a plain folder; move it aside")
        return home

    # -- the server's identity -----------------------------------------------------------------

    def host_key(self) -> Any:
        """The SSH host key, generated into the folder on first use and reused afterwards."""
        import asyncssh

        path = self.root / HOST_KEY
        if not path.exists():
            key = asyncssh.generate_private_key("ssh-ed25519", comment="tui-tutor class server")
            _write_private(path, key.export_private_key())
            _write_private(path.with_name(HOST_KEY + ".pub"), key.export_public_key(), mode=0o644)
            return key
        _check_private(path)
        try:
            return asyncssh.read_private_key(path)
        except (OSError, ValueError, asyncssh.KeyImportError) as err:
            raise ClassDirError(f"{path}: not a private key ({err}); move it aside to make a new one") from None

    def host_key_fingerprint(self) -> str:
        """The host key's SHA256 fingerprint, for the teacher to read out to the class."""
        return self.host_key().get_fingerprint("sha256")

    # -- authentication ------------------------------------------------------------------------

    def authorized_keys(self) -> AuthorizedKeys:
        """Read ``DIR/authorized_keys``: ``NAME KEYTYPE BASE64 [COMMENT]`` per line, ``#`` comments.

        Read afresh for every login, so a teacher can add a learner during class. A missing
        file is no keys; unreadable lines are skipped and listed in ``problems``.
        """
        import asyncssh

        result = AuthorizedKeys()
        path = self.root / AUTHORIZED_KEYS
        try:
            text = _read_regular(path, 1024 * 1024)
        except FileNotFoundError:
            return result
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            where = f"{path}:{number}"
            raw_name, _, key_text = line.partition(" ")
            name = learner_name(raw_name)
            if name is None or raw_name.startswith(_KEY_TYPES):  # a plain OpenSSH line: no name
                result.problems.append(
                    f"{where}: a line starts with the learner's name ({RULE}), then the key, "
                    f"like: alice ssh-ed25519 AAAA..."
                )
                continue
            try:
                key = asyncssh.import_public_key(key_text.strip())
            except (ValueError, asyncssh.KeyImportError) as err:
                result.problems.append(f"{where}: {name}'s key cannot be read ({err})")
                continue
            result.keys.setdefault(name, []).append(key)
        return result

    def passphrase(self) -> str | None:
        """The class passphrase from ``DIR/passphrase`` (first line), or None without the file."""
        path = self.root / PASSPHRASE
        try:
            _check_private(path)
            text = _read_regular(path, 4096)
        except FileNotFoundError:
            return None
        lines = text.splitlines()
        phrase = lines[0].strip() if lines else ""
        if len(phrase) < MIN_PASSPHRASE:
            raise ClassDirError(f"{path}: the passphrase must have at least {MIN_PASSPHRASE} characters")
        return phrase

    def web_token(self) -> str:
        """The class token for browser links, generated on first use (mode 600) and reused."""
        path = self.root / WEB_TOKEN
        if not path.exists():
            _write_private(path, (secrets.token_urlsafe(18) + "\n").encode())
        _check_private(path)
        token = _read_regular(path, 4096).strip()
        if len(token) < 16:
            raise ClassDirError(f"{path}: the token must have at least 16 characters (delete it to make one)")
        return token


def _write_private(path: Path, data: bytes, mode: int = 0o600) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise ClassDirError(f"{path} appeared while it was being created; start again") from None
    except OSError as err:
        raise ClassDirError(f"cannot write {path}: {err.strerror}") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _check_private(path: Path) -> None:
    info = path.lstat()  # FileNotFoundError goes to the caller
    if not stat.S_ISREG(info.st_mode):
        raise ClassDirError(f"{path} is not a regular file")
    if info.st_mode & 0o077:
        raise ClassDirError(f"{path} can be read by other users of this machine; run: chmod 600 {path}")


def _read_regular(path: Path, limit: int) -> str:
    info = path.lstat()  # FileNotFoundError goes to the caller
    if not stat.S_ISREG(info.st_mode):
        raise ClassDirError(f"{path} is not a regular file")
    if info.st_size > limit:
        raise ClassDirError(f"{path} is larger than {limit} bytes")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ClassDirError(f"{path} is not UTF-8 text") from None
