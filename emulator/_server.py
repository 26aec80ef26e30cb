"""The HTTP server: SigV4 scope, quotas, fault injection, the protocol layer and the backend, wired together.

Besides the API, it answers a few introspection routes for tests and benchmarks:

- ``GET /_emulator/requests``: the log of handled API requests (``?since=N`` skips the first N)
- ``POST /_emulator/reset``: forget all state (every account and region) and the log
- ``GET|POST /_emulator/config``: read or change fault, quota and behaviour options at run time
- ``GET /_emulator/quota``: quota mode's rates in force and its throttled answers per operation
- ``GET /_emulator/health``: liveness
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ._backend import DEFAULT_ACCOUNT_ID, Backend, Behaviour, Context
from ._exceptions import ChimeError, ServiceFailureException, ThrottledClientException, UnauthorizedClientException
from ._faults import FaultConfig, FaultInjector
from ._protocol import Protocol
from ._quota import QuotaConfig, QuotaLimiter
from ._store import Snapshot, Store

_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/\d{8}/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request")
_SIGNING_NAME = "chime"


Subscriber = Callable[[dict[str, Any]], None]


class RequestLog:
    """Thread-safe log of handled API requests, with subscribers told of each new entry."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict[str, Any]] = []
        self._subscribers: list[Subscriber] = []

    def add(self, entry: dict[str, Any]) -> None:
        """Append one entry, then tell every subscriber (in the handling thread, before the answer is sent)."""
        with self._lock:
            self._entries.append(entry)
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            subscriber(entry)

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call ``subscriber(entry)`` for every request handled from now on; returns the function that stops it.

        The call happens after the operation took effect and before its response leaves the emulator, so a
        subscriber can act in exactly the window where the service has done something the client has not seen.
        """
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def since(self, start: int = 0) -> list[dict[str, Any]]:
        """Entries from index start on."""
        with self._lock:
            return self._entries[start:]

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Silence the per-request stderr line; the request log is the record."""

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _dispatch(self) -> None:
        emulator = self.server.emulator
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        if url.path.startswith("/_emulator/"):
            status, payload = emulator.introspect(self.command, url.path, parse_qs(url.query), body)
            self._send(status, json.dumps(payload).encode())
            return
        status, headers, answer = emulator.call(self.command, url.path, url.query, dict(self.headers.items()), body)
        self._send(status, answer, headers)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    emulator: EmulatorServer


class EmulatorServer:
    """A local Chime SDK Identity endpoint: ``start()``, ``url``, ``stop()``."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        state_file: str | None = None,
        account_id: str = DEFAULT_ACCOUNT_ID,
        faults: FaultConfig | None = None,
        behaviour: Behaviour | None = None,
        quota: QuotaConfig | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.account_id = account_id
        self.protocol = Protocol()
        self.backend = Backend(Store(state_file), behaviour)
        self.faults = FaultInjector(faults)
        self.quota = QuotaLimiter(quota)
        self.requests = RequestLog()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    def bind(self) -> EmulatorServer:
        """Open the listening socket (port 0 picks a free port)."""
        if self._httpd is None:
            self._httpd = _HTTPServer((self.host, self.port), _Handler)
            self._httpd.emulator = self
            self.port = self._httpd.server_address[1]
        return self

    def start(self) -> EmulatorServer:
        """Serve in a background thread; returns self."""
        self.bind()
        assert self._httpd is not None
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="chime-identity-emulator", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until shutdown."""
        self.bind()
        assert self._httpd is not None
        self._httpd.serve_forever()

    def stop(self) -> None:
        """Stop serving and close the state file."""
        if self._httpd is not None:
            if self._thread is not None:
                self._httpd.shutdown()
                self._thread.join()
            self._httpd.server_close()
            self._httpd = None
        self.backend.store.close()

    @property
    def url(self) -> str:
        """The endpoint URL to give clients, e.g. ``http://127.0.0.1:4580``."""
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- API requests ---------------------------------------------------------------------------

    def call(
        self, method: str, raw_path: str, raw_query: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        """Answer one API request: status, extra headers and body."""
        started = time.time()
        operation_name = "Unknown"
        fault: str | None = None
        token: str | None = None
        try:
            headers = {k.lower(): v for k, v in headers.items()}
            query = parse_qs(raw_query, keep_blank_values=True)
            operation, labels = self.protocol.route(method, raw_path, query)
            operation_name = operation.name
            ctx = self._context(headers)
            if self.faults.config.latency_ms:
                time.sleep(self.faults.config.latency_ms / 1000.0)
            if not self.quota.admit(ctx.account, ctx.region, operation_name):
                raise ThrottledClientException("Rate exceeded")
            injected = self.faults.before()
            if injected is not None:
                fault = injected.shape_name
                raise injected
            params = self.protocol.parse(operation, labels, query, headers, body)
            self.protocol.validate(operation, params)
            idempotency_member = self.protocol.idempotency_member(operation)
            token = params.get(idempotency_member) if idempotency_member else None
            output = self.backend.handle(operation_name, ctx, params, idempotency_member)
            if self.faults.lose_response():
                fault = "LostResponse"
                raise ServiceFailureException(
                    "Internal failure (injected by the emulator after the operation took effect)"
                )
            status, answer = self.protocol.serialize(operation, output)
            extra: dict[str, str] = {}
        except ChimeError as error:
            status, extra, answer = self.protocol.serialize_error(error)
        except Exception as error:  # an emulator bug must still answer like the service would
            status, extra, answer = self.protocol.serialize_error(
                ServiceFailureException(f"Emulator failure: {error!r}")
            )
        self.requests.add(
            {
                "operation": operation_name,
                "status": status,
                "error": extra.get("X-Amzn-ErrorType"),
                "fault": fault,
                "client_request_token": token,
                "time": started,
                "duration_ms": round((time.time() - started) * 1000.0, 3),
            }
        )
        return status, extra, answer

    def _context(self, headers: dict[str, str]) -> Context:
        authorization = headers.get("authorization")
        if not authorization:
            raise UnauthorizedClientException("Missing Authentication Token: requests must be signed with SigV4")
        match = _CREDENTIAL.search(authorization)
        if match is None:
            raise UnauthorizedClientException("The Authorization header is not a SigV4 signature")
        access_key, region, service = match.groups()
        if service != _SIGNING_NAME:
            raise UnauthorizedClientException(
                f"Credential should be scoped to service '{_SIGNING_NAME}', not '{service}'"
            )
        # As moto does: a 12-digit access key ID selects that account, so tests can use several.
        account = access_key if access_key.isdigit() and len(access_key) == 12 else self.account_id
        return Context(account=account, region=region)

    # -- introspection --------------------------------------------------------------------------

    def config(self) -> dict[str, Any]:
        """Fault, quota and behaviour options in force."""
        return {**self.faults.config.to_dict(), **self.quota.config.to_dict(), **asdict(self.backend.behaviour)}

    def configure(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Change fault, quota and behaviour options; raises ValueError for bad names or values.

        Changing any quota option refills every bucket and zeroes the throttled counters.
        """
        behaviour_names = {f.name for f in fields(Behaviour)}
        quota_names = {f.name for f in fields(QuotaConfig)}
        behaviour = {k: v for k, v in changes.items() if k in behaviour_names}
        quota = {k: v for k, v in changes.items() if k in quota_names}
        if behaviour.get("missing_error", "NotFoundException") not in ("NotFoundException", "ForbiddenException"):
            raise ValueError("missing_error must be NotFoundException or ForbiddenException")
        new_quota = QuotaConfig(**{**self.quota.config.to_dict(), **quota}) if quota else None
        self.faults.update({k: v for k, v in changes.items() if k not in behaviour_names | quota_names})
        if new_quota is not None:
            self.quota.configure(new_quota)
        for key, value in behaviour.items():
            setattr(self.backend.behaviour, key, value)
        return self.config()

    def reset(self) -> None:
        """Forget all state and the request log; restart the fault RNG from its seed, refill the quota buckets and
        zero both's counters."""
        self.backend.reset()
        self.requests.clear()
        self.faults.configure(self.faults.config)
        self.quota.configure(self.quota.config)

    def snapshot(self) -> Snapshot:
        """A deep copy of every table (``{table: {key: record}}``), taken between two requests.

        What tests and benchmarks read to check what is really there: no API call, no injected fault and
        no consistency delay blur it. Give it to :meth:`restore` to go back to this moment.
        """
        with self.backend.lock:
            return self.backend.store.snapshot()

    def restore(self, snapshot: Snapshot) -> None:
        """Put every table back as it was in ``snapshot`` (the request log is left alone)."""
        with self.backend.lock:
            self.backend.store.restore(snapshot)

    def introspect(self, method: str, path: str, query: dict[str, list[str]], body: bytes) -> tuple[int, Any]:
        """Answer one ``/_emulator/`` route."""
        route = (method, path.rstrip("/"))
        if route == ("GET", "/_emulator/requests"):
            since = int(query.get("since", ["0"])[0])
            return 200, {"requests": self.requests.since(since), "faults_injected": dict(self.faults.injected)}
        if route == ("POST", "/_emulator/reset"):
            self.reset()
            return 200, {"reset": True}
        if route == ("GET", "/_emulator/config"):
            return 200, self.config()
        if route == ("POST", "/_emulator/config"):
            try:
                return 200, self.configure(json.loads(body or b"{}"))
            except (ValueError, TypeError) as error:
                return 400, {"error": str(error)}
        if route == ("GET", "/_emulator/quota"):
            return 200, self.quota.status()
        if route == ("GET", "/_emulator/health"):
            return 200, {"ok": True}
        return 404, {"error": f"no introspection route {method} {path}"}
