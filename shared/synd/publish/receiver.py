"""A webhook receiver for the local demo: verifies each request as Standard Webhooks says, keeps each document once.

    python -m synd.publish.receiver --target partner_webhook [--target ...] [--port 8787] [--out out/webhooks]

It reads each target's key from Secrets Manager (`$WEBHOOK_SECRET_PREFIX/<target>`,
as the webhook target does; `source out/stack.env` first on the local stack),
accepts a request that one of them signed, and writes its ninjs to
`<out>/<target>/<webhook-id>.json`; a repeated webhook-id is answered 200 and not
written again (dedupe on the signed id). `config/targets.yaml` points the local
webhook targets at 127.0.0.1:8787.

Every request gets a status code, never a dropped connection or a traceback:
411 no Content-Length (or chunked), 400 an invalid one or a body shorter than it,
413 a body over the limit (refused before it is read), 408 a body that does not
arrive in time, 415 not application/json, 401 missing/invalid webhook headers,
a timestamp outside five minutes or no matching signature, 400 a signed body that
is not UTF-8 JSON, 405 another method, 500 (logged) only for a fault of its own.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import logging
import os
import socket
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from synd.publish.signing import Unverified, parse_secret, verify

MAX_BODY = 16 * 1024 * 1024  # bytes; a ninjs of a 10 MiB drop fits
READ_TIMEOUT = 10.0  # seconds for the body to arrive
log = logging.getLogger(__name__)

Answer = tuple[int, Any]  # status, and a JSON-able payload or raw bytes
Respond = Callable[[str, Message, io.BufferedIOBase], Answer]


class Refused(Exception):
    """A request answered with a 4xx status and a reason."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


# -- the checks, in the order a request meets them (also used by the tests' Receiver) ----------
def body_of(headers: Message, rfile: io.BufferedIOBase, max_body: int = MAX_BODY) -> bytes:
    """The body, read only once its declared length is known to be sane."""
    if headers.get("Transfer-Encoding"):
        raise Refused(411, "send the body with a Content-Length, not a Transfer-Encoding")
    values = headers.get_all("Content-Length") or []
    if not values:
        raise Refused(411, "Content-Length required")
    text = values[0].strip()
    if len({v.strip() for v in values}) > 1 or not (text.isascii() and text.isdigit()):
        raise Refused(400, "invalid Content-Length")
    length = int(text)
    if length > max_body:
        raise Refused(413, f"body larger than {max_body} bytes")
    try:
        body = rfile.read(length)
    except TimeoutError:
        raise Refused(408, "the body did not arrive in time") from None
    if len(body) < length:
        raise Refused(400, "body shorter than its Content-Length")
    return body


def check_json_type(headers: Message) -> None:
    if headers.get_content_type() != "application/json":
        raise Refused(415, "Content-Type must be application/json")


def authentic_id(keys: list[bytes], headers: Message, body: bytes) -> str:
    """The webhook-id of a request signed with one of `keys`."""
    try:
        return verify(keys, dict(headers.items()), body)  # verify lowers the names; the last of a repeated one wins
    except Unverified as exc:
        raise Refused(401, str(exc)) from None


def document_of(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Refused(400, "the body is not UTF-8 JSON") from None


def file_name(msg_id: str) -> str:
    """A file name for a (verified) webhook-id: %-escaped, so nothing in it is a path; hashed if too long."""
    name = urllib.parse.quote(msg_id, safe="")
    return (name if len(name) <= 200 else "sha256-" + hashlib.sha256(msg_id.encode()).hexdigest()) + ".json"


# -- HTTP --------------------------------------------------------------------------------------
def handler_class(respond: Respond, *, timeout: float = READ_TIMEOUT) -> type[BaseHTTPRequestHandler]:
    """A request handler that turns every outcome of `respond(path, headers, body stream)` into an answer:
    Refused -> its status, any other exception -> a logged 500, other methods -> 405."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        default_request_version = "HTTP/1.0"  # not 0.9: a garbage request line still gets a status line

        def do_POST(self):  # http.server's naming
            try:
                status, payload = respond(self.path, self.headers, self.rfile)
            except Refused as refused:
                status, payload = refused.status, {"error": refused.reason}
            except Exception:  # answer, and keep serving
                log.exception("webhook receiver fault")
                status, payload = 500, {"error": "receiver fault"}
            self._answer(status, payload)

        def _refuse_method(self):
            self._answer(405, {"error": "only POST"}, {"Allow": "POST"})

        do_GET = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _refuse_method  # noqa: N815

        def _answer(self, status: int, payload: Any, extra: Mapping[str, str] | None = None) -> None:
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            # after a refusal the unread body must not be taken for the next request
            self.close_connection = self.close_connection or status >= 400
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def send_response(self, code, message=None):
            self.status_sent = code  # http.server's own errors (bad request line, headers) come through here too
            super().send_response(code, message)

        def finish(self):
            if self.close_connection and getattr(self, "status_sent", 0) >= 400:
                self._drain()
            super().finish()

        def _drain(self, limit: int = 1 << 20, seconds: float = 1.0) -> None:
            """Send the answer, then read (and drop) what the client still sends for a moment: closing
            with unread bytes makes TCP reset the connection, and the client may lose the answer."""
            try:
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_WR)
                self.connection.settimeout(seconds / 4)
                deadline, read = time.monotonic() + seconds, 0
                while read < limit and time.monotonic() < deadline:
                    chunk = self.connection.recv(65536)
                    if not chunk:
                        break
                    read += len(chunk)
            except OSError:
                pass

        def log_message(self, *args):
            pass

    Handler.timeout = timeout  # StreamRequestHandler sets it on the socket: a stalled body gets 408
    return Handler


class Server(ThreadingHTTPServer):
    """A threading HTTP server that logs a client hanging up one line at a time, without a traceback."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            log.warning("connection from %s ended: %s", client_address[0], error)
        else:
            log.error("webhook receiver fault: %r", error)


def http_server(host: str, port: int, respond: Respond, *, timeout: float = READ_TIMEOUT) -> Server:
    return Server((host, port), handler_class(respond, timeout=timeout))


class DemoReceiver:
    """What the demo does with a request: check, verify against each target's keys, store once."""

    def __init__(self, keys: Mapping[str, list[bytes]], out_dir: Path, max_body: int = MAX_BODY):
        self.keys, self.out, self.max_body = dict(keys), Path(out_dir), max_body
        self.lock = threading.Lock()

    def respond(self, path: str, headers: Message, rfile: io.BufferedIOBase) -> Answer:
        body = body_of(headers, rfile, self.max_body)
        check_json_type(headers)
        target, msg_id = self._signer(headers, body)
        document = document_of(body)
        folder = self.out / target if target else self.out
        destination = folder / file_name(msg_id)
        with self.lock:
            duplicate = destination.exists()
            if not duplicate:
                folder.mkdir(parents=True, exist_ok=True)
                destination.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        return 200, {"ok": True, "duplicate": duplicate}

    def _signer(self, headers: Message, body: bytes) -> tuple[str, str]:
        """(target, webhook-id) of the target whose key signed the request."""
        refused = Refused(401, "no target keys")
        for target, keys in self.keys.items():
            try:
                return target, authentic_id(keys, headers, body)
            except Refused as exc:
                refused = exc
        raise refused


def make_server(host: str, port: int, secrets: str | Mapping[str, str], out_dir: str | Path, *,
                max_body: int = MAX_BODY, timeout: float = READ_TIMEOUT) -> Server:
    """`secrets`: target name -> its `whsec_` secret value (documents go to <out>/<target>/), or one value
    (documents go to <out>/)."""
    named = {"": secrets} if isinstance(secrets, str) else dict(secrets)
    keys = {target: parse_secret(value) for target, value in named.items()}
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return http_server(host, port, DemoReceiver(keys, out, max_body).respond, timeout=timeout)


def target_keys(prefix: str, targets: list[str]) -> dict[str, list[bytes]]:
    from synd.targets.webhook import NoSigningKey, signing_keys

    try:
        return {target: signing_keys(prefix, target) for target in targets}
    except NoSigningKey as exc:
        raise SystemExit(str(exc)) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8787)
    parser.add_argument("--target", action="append", required=True,
                        help="a webhook target whose key to accept (repeat for several)")
    parser.add_argument("--secret-prefix", help="Secrets Manager prefix (default $WEBHOOK_SECRET_PREFIX)")
    parser.add_argument("--out", default="out/webhooks")
    endpoint = os.environ.get("SYND_ENDPOINT_URL") or os.environ.get("AWS_ENDPOINT_URL")
    parser.add_argument("--endpoint-url", default=endpoint,
                        help="AWS endpoint holding the keys (the local stack's); default $SYND_ENDPOINT_URL")
    args = parser.parse_args(argv)
    from synd.aws import use_endpoint  # boto3 only for the CLI, not for tests that import the receiver

    use_endpoint(args.endpoint_url)
    prefix = args.secret_prefix or os.environ.get("WEBHOOK_SECRET_PREFIX")
    if not prefix:
        parser.error("pass --secret-prefix or set WEBHOOK_SECRET_PREFIX (source out/stack.env)")
    keys = target_keys(prefix, args.target)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    app = DemoReceiver(keys, Path(args.out))
    server = http_server(args.host, args.port, app.respond)
    print(f"receiving webhooks for {', '.join(args.target)} on http://{args.host}:{server.server_address[1]}/ "
          f"-> {args.out}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
