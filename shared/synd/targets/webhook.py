"""Signed webhook: POST the ninjs JSON (with the attribution block in
`descriptions`, role "attribution") to a partner's URL.

Headers: `X-Synd-Signature: t=<ts>,v1=<hex HMAC-SHA256(secret, f"{ts}.{body}")>`
(see synd.publish.signing) and `Idempotency-Key: <article_id>:v<version>:<target>`
so a receiver can drop the rare duplicate that at-least-once delivery allows.

Options (config/targets.yaml): `url` (required), `timeout` seconds (10),
`max_attempts` (4), `backoff_base`/`backoff_cap` seconds (30/900), `pause_after`
consecutive failures (5). The secret comes from Secrets Manager
($WEBHOOK_SECRET_ARN: a JSON object {"<target name>": "<secret>"} or one plain
string for all); it is never logged nor stored. 5xx, 429, 408 and network
errors say "retry"; other 4xx say "failed" with the status and a body excerpt.
stdlib urllib is enough for one POST; no client library is needed.
"""
from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from typing import Any

from synd.aws import client
from synd.ninjs import with_attribution
from synd.publish.retry import is_retryable
from synd.publish.signing import HEADER, sign
from synd.targets import DELIVERED, Delivery, Outcome, TargetEnv

KIND = "webhook"
USER_AGENT = "synd-webhook/1"
EXCERPT_CHARS = 300
_SECRET_TTL = 300.0
_secret_cache: dict[str, tuple[float, Any]] = {}


def deliver(delivery: Delivery, env: TargetEnv) -> Outcome:
    options = delivery.target.options
    url = options.get("url")
    if not url or not str(url).startswith(("http://", "https://")):
        return Outcome.failed(f"target {delivery.target.name} has no http(s) url")
    secret = target_secret(env.webhook_secret_arn, delivery.target.name)
    if not secret:
        return Outcome.failed(f"no webhook secret for target {delivery.target.name}")
    body = body_bytes(with_attribution(delivery.ninjs, delivery.attribution))
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
               HEADER: sign(secret, body), "Idempotency-Key": delivery.idempotency_key}
    return post(str(url), body, headers, timeout=float(options.get("timeout", 10)))


def body_bytes(ninjs: dict[str, Any]) -> bytes:
    return json.dumps(ninjs, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Outcome:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) checked above)
            return Outcome(DELIVERED, detail={"status": response.status}, status=response.status)
    except urllib.error.HTTPError as exc:
        excerpt = _excerpt(exc)
        error = f"HTTP {exc.code}: {excerpt}" if excerpt else f"HTTP {exc.code}"
        if is_retryable(exc.code):
            return Outcome.retry(error, status=exc.code)
        return Outcome.failed(error, status=exc.code)
    except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        return Outcome.retry(f"network error: {type(reason).__name__}: {reason}"[:EXCERPT_CHARS])


def _excerpt(exc: urllib.error.HTTPError) -> str:
    try:
        raw = exc.read(EXCERPT_CHARS * 4)
    except Exception:  # noqa: BLE001 - the body is only a hint for operators
        return ""
    return " ".join(raw.decode("utf-8", "replace").split())[:EXCERPT_CHARS]


def target_secret(secret_arn: str | None, target_name: str) -> str | None:
    """The signing secret of a target (cached a few minutes per process; rotation takes effect after that)."""
    if not secret_arn:
        return None
    cached = _secret_cache.get(secret_arn)
    if cached is None or time.monotonic() - cached[0] > _SECRET_TTL:
        value = client("secretsmanager").get_secret_value(SecretId=secret_arn)["SecretString"]
        try:
            parsed: Any = json.loads(value)
        except ValueError:
            parsed = value
        cached = (time.monotonic(), parsed)
        _secret_cache[secret_arn] = cached
    parsed = cached[1]
    if isinstance(parsed, dict):
        secret = parsed.get(target_name)
        return str(secret) if secret else None
    return str(parsed) if parsed else None


def clear_secret_cache() -> None:
    _secret_cache.clear()
