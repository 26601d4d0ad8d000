"""A small clamd client (no third-party package): PING, VERSION and INSTREAM scans.

Protocol (clamd(8)): commands prefixed with "z" are NUL-terminated and so are the replies.
INSTREAM sends the data as chunks, each preceded by its length as a 4-byte big-endian unsigned
integer, and ends with a zero-length chunk. The reply is "stream: OK",
"stream: <signature> FOUND" or "<reason> ERROR" (e.g. "INSTREAM size limit exceeded. ERROR").
"""

from __future__ import annotations

import io
import socket
import struct
from dataclasses import dataclass

from django.conf import settings

CHUNK_SIZE = 64 * 1024
MAX_REPLY = 64 * 1024


class ClamdError(Exception):
    """Base class: the scan did not give a verdict."""


class ScannerUnavailable(ClamdError):
    """clamd cannot be reached (no socket, connection refused, timeout, connection dropped)."""


class ScanFailed(ClamdError):
    """clamd answered, but with an error instead of a verdict (e.g. size limit exceeded)."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str | None
    engine: str


class ClamdScanner:
    """Talks to one clamd over a unix socket (`socket_path`) or TCP (`tcp`="host:port")."""

    def __init__(self, socket_path: str | None = None, tcp: str | None = None, timeout: float = 30):
        if not socket_path and not tcp:
            raise ValueError("ClamdScanner needs socket_path or tcp")
        self.socket_path = socket_path or None
        self.tcp = None if self.socket_path else _parse_tcp(tcp)
        self.timeout = timeout
        self._version: str | None = None

    def __repr__(self):
        where = self.socket_path or "{}:{}".format(*self.tcp)
        return f"<ClamdScanner {where}>"

    # ----------------------------------------------------------------- connection
    def _connect(self) -> socket.socket:
        try:
            if self.socket_path:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.settimeout(self.timeout)
                try:
                    sock.connect(self.socket_path)
                except BaseException:
                    sock.close()
                    raise
                return sock
            return socket.create_connection(self.tcp, timeout=self.timeout)
        except OSError as exc:
            raise ScannerUnavailable(f"clamd at {self!r} cannot be reached: {exc}") from exc

    @staticmethod
    def _read_reply(sock: socket.socket) -> str:
        data = b""
        while not data.endswith(b"\0"):
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
            if len(data) > MAX_REPLY:
                raise ScanFailed("clamd reply too long")
        if not data:
            raise ScannerUnavailable("clamd closed the connection without a reply")
        return data.rstrip(b"\0").decode("utf-8", "replace").strip()

    def _command(self, command: bytes) -> str:
        sock = self._connect()
        try:
            sock.sendall(b"z" + command + b"\0")
            return self._read_reply(sock)
        except OSError as exc:
            raise ScannerUnavailable(f"clamd at {self!r} stopped answering: {exc}") from exc
        finally:
            sock.close()

    # ----------------------------------------------------------------- commands
    def ping(self) -> bool:
        """True when clamd answers PONG; raises ScannerUnavailable when it cannot be reached."""
        reply = self._command(b"PING")
        if reply != "PONG":
            raise ScanFailed(f"unexpected reply to PING: {reply!r}")
        return True

    def version(self) -> str:
        """e.g. "ClamAV 1.4.6/27470/Wed Nov 26 09:00:00 2026" (cached per scanner)."""
        if self._version is None:
            self._version = self._command(b"VERSION")
        return self._version

    def scan_bytes(self, data) -> ScanResult:
        """Scan bytes or a binary file object (read from its current position) with INSTREAM."""
        stream = io.BytesIO(bytes(data)) if isinstance(data, bytes | bytearray | memoryview) else data
        sock = self._connect()
        try:
            try:
                sock.sendall(b"zINSTREAM\0")
                while True:
                    chunk = stream.read(CHUNK_SIZE)
                    if not chunk:
                        break
                    sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                sock.sendall(struct.pack("!L", 0))
            except (BrokenPipeError, ConnectionResetError):
                # clamd may stop reading and answer early (size limit): read what it said.
                pass
            reply = self._read_reply(sock)
        except OSError as exc:
            raise ScannerUnavailable(f"clamd at {self!r} stopped answering: {exc}") from exc
        finally:
            sock.close()
        return self._parse_scan_reply(reply)

    def _parse_scan_reply(self, reply: str) -> ScanResult:
        body = reply.split(": ", 1)[1] if reply.startswith("stream: ") else reply
        if body == "OK":
            return ScanResult(clean=True, signature=None, engine=self._engine())
        if body.endswith(" FOUND"):
            return ScanResult(clean=False, signature=body[: -len(" FOUND")].strip(), engine=self._engine())
        if body.endswith("ERROR"):
            raise ScanFailed(f"clamd could not scan the data: {reply}")
        raise ScanFailed(f"unexpected reply from clamd: {reply!r}")

    def _engine(self) -> str:
        try:
            return self.version()[:128]
        except ClamdError:
            return "ClamAV"


def _parse_tcp(value: str) -> tuple[str, int]:
    host, sep, port = value.strip().rpartition(":")
    if not sep or not host or not port.isdigit():
        raise ValueError(f"CLAMD_TCP must be 'host:port', not {value!r}")
    return host.strip("[]"), int(port)


def get_scanner(timeout: float = 30) -> ClamdScanner | None:
    """The scanner configured by CLAMD_SOCKET or CLAMD_TCP, or None when neither is set."""
    socket_path = getattr(settings, "CLAMD_SOCKET", "") or ""
    tcp = getattr(settings, "CLAMD_TCP", "") or ""
    if not socket_path and not tcp:
        return None
    return ClamdScanner(socket_path=socket_path or None, tcp=tcp or None, timeout=timeout)
