"""The webhook receivers (the demo one, synd.publish.receiver, and the tests' Receiver that verifies with the
reference `standardwebhooks` library) under hostile requests: each gets a status code, never a dropped
connection or a traceback; a captured request replayed with another id is refused."""
import json
import socket
import threading
import time
from contextlib import contextmanager

import pytest

from tests.integration.publish.publish_stack import KEYS
from tests.unit.publish.publish_samples import Receiver, make_record, target
from synd.ninjs import to_ninjs
from synd.publish.receiver import make_server
from synd.publish.signing import message_id, parse_key, sign
from synd.targets import Delivery, deliver

HOOK_KEY = KEYS["hook"]
BODY = b'{"uri":"urn:synd:article:1","headline":"\xd8\xaa\xd9\x85\xd8\xa7\xd9\x85"}'


@contextmanager
def demo_receiver(tmp_path, timeout: float = 1.0):
    server = make_server("127.0.0.1", 0, {"hook": HOOK_KEY}, tmp_path / "hooks", timeout=timeout)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def reference_receiver(tmp_path, timeout: float = 1.0):
    with Receiver({"hook": HOOK_KEY}, timeout=timeout) as receiver:
        yield receiver.server.server_address[1]


RECEIVERS = {"demo": demo_receiver, "reference": reference_receiver}


def exchange(port: int, request: bytes, *, then_wait: float = 0.0) -> int | None:
    """Send raw bytes; the status of the answer, or None when the connection was dropped without one."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request)
        time.sleep(then_wait)
        data = b""
        try:
            while b"\r\n" not in data:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                data += chunk
        except (ConnectionResetError, TimeoutError, socket.timeout):
            return None
    if not data.startswith(b"HTTP/1."):
        return None
    return int(data.split(b" ", 2)[1])


def signed_headers(body: bytes = BODY, msg_id: str = "a1b2:v1:hook", timestamp: int | None = None) -> dict:
    return sign([parse_key(HOOK_KEY)], msg_id, body, timestamp=timestamp)


def request(headers: dict[str, str | bytes | None], body: bytes = BODY, *, method: bytes = b"POST",
            length: bytes | None = None) -> bytes:
    """A request with Content-Type json, Content-Length of the body (or `length`), and `headers` (None drops one)."""
    fields = {"Host": "127.0.0.1", "Content-Type": "application/json", "Content-Length": str(len(body)), **headers}
    if length is not None:
        fields["Content-Length"] = length
    lines = b"".join(f"{k}: ".encode() + (v if isinstance(v, bytes) else str(v).encode()) + b"\r\n"
                     for k, v in fields.items() if v is not None)
    return method + b" /hooks/partner HTTP/1.1\r\n" + lines + b"\r\n" + body


def malformed_cases() -> list[tuple[str, bytes, int | dict[str, int]]]:
    good = signed_headers()
    deep = b"[" * 100_000 + b"]" * 100_000
    stale, future = int(time.time()) - 3600, int(time.time()) + 3600
    return [
        ("non-ASCII signature", request({**good, "webhook-signature": b"v1,\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"}), 401),
        ("non-ASCII id", request({**good, "webhook-id": b"caf\xc3\xa9"}), 401),
        ("old-style signature only", request({"X-Synd-Signature": b"t=1,v1=\xc3\xa9"}), 401),
        ("no Content-Length", request({**good, "Content-Length": None}, b""), 411),
        ("invalid Content-Length", request(good, length=b"abc"), 400),
        ("negative Content-Length", request(good, length=b"-1"), 400),
        ("two Content-Lengths", request(good).replace(b"\r\n\r\n", b"\r\nContent-Length: 3\r\n\r\n", 1), 400),
        ("chunked body", request({**good, "Transfer-Encoding": "chunked", "Content-Length": None}, b""), 411),
        ("huge body", request(good, b"", length=b"1000000000000"), 413),
        ("body shorter than its length", request(good, length=str(len(BODY) + 50).encode()), 408),
        ("not JSON content type", request({**good, "Content-Type": "text/plain"}), 415),
        ("no content type", request({**good, "Content-Type": None}), 415),
        ("no webhook headers", request({}), 401),
        ("no signature", request({**good, "webhook-signature": None}), 401),
        ("garbage signature", request({**good, "webhook-signature": "garbage"}), 401),
        ("bad base64 signature", request({**good, "webhook-signature": "v1,AAA"}), 401),
        ("timestamp not a number", request({**good, "webhook-timestamp": "soon"}), 401),
        ("stale timestamp", request(signed_headers(timestamp=stale)), 401),
        ("future timestamp", request(signed_headers(timestamp=future)), 401),
        ("id changed", request({**good, "webhook-id": "another:v1:hook"}), 401),
        ("id with a dot", request({**good, "webhook-id": "a1b2.v1.hook"}), 401),
        ("signed body not JSON", request(signed_headers(b"not json"), b"not json"), 400),
        # the reference library decodes the body before checking it (UnicodeDecodeError): refused as unsigned
        ("signed body not UTF-8", request(signed_headers(b'"\xff"'), b'"\xff"'), {"demo": 400, "reference": 401}),
        ("signed JSON nested 100,000 deep", request(signed_headers(deep), deep), 400),
        ("GET", request(good, b"", method=b"GET"), 405),
        ("not HTTP", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400),
    ]


# Signed at test time, not collection time: a full run reaches these tests minutes after collection, past the
# receivers' five-minute timestamp tolerance, and every signed case was refused with 401.
CASE_NAMES = [c[0] for c in malformed_cases()]


@pytest.mark.parametrize("receiver", sorted(RECEIVERS))
@pytest.mark.parametrize("case", CASE_NAMES)
def test_every_malformed_request_gets_a_status_code_and_the_receiver_keeps_serving(receiver, case, tmp_path):
    """The defect: a non-ASCII signature (TypeError in compare_digest), an invalid Content-Length, a signed
    body that is not JSON or a huge one raised in the handler and the connection was dropped with no answer."""
    _, raw, expected = next(c for c in malformed_cases() if c[0] == case)
    expected = expected if isinstance(expected, int) else expected[receiver]
    with RECEIVERS[receiver](tmp_path) as port:
        assert exchange(port, raw) == expected
        assert exchange(port, request(signed_headers())) == 200  # and it still answers the next request


def test_demo_receiver_accepts_signed_posts_once_and_refuses_another_targets_key(stack, tmp_path):
    with demo_receiver(tmp_path) as port:
        url = f"http://127.0.0.1:{port}/hooks/partner"
        record = make_record("fa")
        d = Delivery(record=record, ninjs=to_ninjs(record), target=target("hook", "webhook", url=url), action="deliver")
        assert deliver(d, stack.env).state == "delivered"
        assert deliver(d, stack.env).state == "delivered"  # a duplicate is accepted, not stored twice
        (saved,) = list((tmp_path / "hooks" / "hook").iterdir())
        assert saved.name == f"{record['id']}%3Av1%3Ahook.json"
        assert json.loads(saved.read_text(encoding="utf-8"))["uri"].endswith(record["id"])
        other = Delivery(record=record, ninjs=to_ninjs(record), target=target("bad-hook", "webhook", url=url),
                         action="deliver")
        refused = deliver(other, stack.env)  # bad-hook signs with its own key, which this receiver does not hold
        assert refused.state == "failed" and refused.status == 401


@pytest.mark.parametrize("receiver", sorted(RECEIVERS))
def test_a_captured_request_replayed_with_another_id_is_refused(receiver, tmp_path):
    """The defect: Idempotency-Key was not signed, so a replay with a new key passed as a new delivery.
    Whatever header carries the id (Idempotency-Key before, webhook-id now), changing it breaks the signature."""
    msg_id = message_id("579896b5d51dccd8998d354b:v1:hook")
    captured = signed_headers(msg_id=msg_id)
    with RECEIVERS[receiver](tmp_path) as port:
        assert exchange(port, request(captured)) == 200
        for header in ("webhook-id", "Idempotency-Key"):
            replay = {**captured, header: "579896b5d51dccd8998d354b:v9:hook"}
            expected = 401 if header == "webhook-id" else 200  # an extra unsigned header changes nothing
            assert exchange(port, request(replay)) == expected
    if receiver == "demo":
        assert [p.name for p in (tmp_path / "hooks" / "hook").iterdir()] == [f"{msg_id.replace(':', '%3A')}.json"]
