"""A git server over HTTPS on 127.0.0.1, for `pulumi package add <git URL>@<tag>`.

The engine fetches a plugin from a git URL over HTTPS only (it rewrites git:// to https://), with go-git's
smart HTTP client. This serves bare repositories under one folder through ``git http-backend`` behind Python's
HTTP server, with a self-signed certificate made by openssl: point the engine at it with ``SSL_CERT_FILE`` (Go
reads it instead of the system's roots).

It listens on port 443 of a loopback address of its own (127.x.y.1, from the process ID): the engine names the
plugin's directory after the URL's host, port included, and Python's venv refuses a path with a ':' in it, so a
URL with a port cannot be installed (as a real git host's never has one).
"""

from __future__ import annotations

import os
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Quiet: the test reads the engine's output, not this server's."""

    def do_GET(self) -> None:
        self._backend()

    def do_POST(self) -> None:
        self._backend()

    def _backend(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        env = {
            **os.environ,
            "GIT_PROJECT_ROOT": str(self.server.root),
            "GIT_HTTP_EXPORT_ALL": "1",
            "PATH_INFO": url.path,
            "QUERY_STRING": url.query,
            "REQUEST_METHOD": self.command,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "GIT_PROTOCOL": self.headers.get("Git-Protocol", ""),
        }
        result = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True, check=False)
        head, _, payload = result.stdout.partition(b"\r\n\r\n")
        status = 200
        headers: list[tuple[str, str]] = []
        for line in head.decode("latin-1").split("\r\n"):
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            elif name:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class _Server(ThreadingHTTPServer):
    root: Path


class GitServer:
    """Serves the bare repositories in ``root`` at ``https://<host>/<owner>/<name>.git``."""

    def __init__(self, root: Path, workdir: Path) -> None:
        self.certificate = workdir / "cert.pem"
        key = workdir / "key.pem"
        host = f"127.{os.getpid() % 250 + 1}.{os.getpid() // 250 % 250 + 1}.1"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={host}",
             "-addext", f"subjectAltName=IP:{host}", "-keyout", str(key), "-out", str(self.certificate)],
            check=True,
            capture_output=True,
        )  # fmt: skip
        self._server = _Server((host, 443), _Handler)
        self._server.root = root
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.certificate, key)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.url = f"https://{host}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> GitServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()
