"""Signed webhook: POST the ninjs JSON (with the attribution block in
`descriptions`, role "attribution") to a partner's URL.

Signed as Standard Webhooks (synd.publish.signing): `webhook-id` is the delivery's
idempotency key `<article_id>:v<version>:<target>` (so retries of one version carry
one id and a receiver drops the rare duplicate that at-least-once delivery allows),
`webhook-timestamp` the attempt's Unix seconds, `webhook-signature` the HMAC of
`id.timestamp.body`. There is no separate `Idempotency-Key` header: an unsigned copy
of the id is what let a captured request pass as a new delivery.

Each target has its own key, in the Secrets Manager secret
`$WEBHOOK_SECRET_PREFIX/<target name>` (a `whsec_…` value; several space-separated
keys sign together during a rotation). A target without one fails with the name of
the secret to create; there is no key shared between targets. Keys are cached five
minutes per target (a rotation takes effect after that), never logged nor stored.

Options (config/targets.yaml): `url` (required), `timeout` seconds (10),
`max_attempts` (4), `backoff_base`/`backoff_cap` seconds (30/900), `pause_after`
consecutive failures (5). 5xx, 429, 408 and network errors say "retry"; other 4xx
say "failed" with the status and a body excerpt. stdlib urllib is enough for one
POST; no client library is needed.
"""
from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from typing import Any

from botocore.exceptions import ClientError

from synd.aws import client
from synd.ninjs import with_attribution
from synd.publish.retry import is_retryable
from synd.publish.signing import BadSecret, message_id, parse_secret, sign
from synd.targets import DELIVERED, Delivery, Outcome, TargetEnv

KIND = "webhook"
USER_AGENT = "synd-webhook/2"
EXCERPT_CHARS = 300
_SECRET_TTL = 300.0
# what a Secrets Manager name allows, less "/" (a target must not reach into another's path)
_TARGET_NAME = re.compile(r"[A-Za-z0-9_+=.@-]{1,128}")
_key_cache: dict[str, tuple[float, list[bytes]]] = {}


class NoSigningKey(Exception):
    """A target cannot sign: the message says which secret to create or fix (never its value)."""


def deliver(delivery: Delivery, env: TargetEnv) -> Outcome:
    return _post_signed(delivery, env, body_bytes(with_attribution(delivery.ninjs, delivery.attribution)))


def _post_signed(delivery: Delivery, env: TargetEnv, body: bytes, extra_headers: dict[str, str] | None = None
                 ) -> Outcome:
    """POST `body` to the target's url, signed with the target's own key (Standard Webhooks)."""
    options = delivery.target.options
    url = options.get("url")
    if not url or not str(url).startswith(("http://", "https://")):
        return Outcome.failed(f"target {delivery.target.name} has no http(s) url")
    try:
        keys = signing_keys(env.webhook_secret_prefix, delivery.target.name)
    except NoSigningKey as exc:
        return Outcome.failed(str(exc))
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
               **(extra_headers or {}), **sign(keys, message_id(delivery.idempotency_key), body)}
    return post(str(url), body, headers, timeout=float(options.get("timeout", 10)))


WITHDRAWN_EVENT = "article.withdrawn"


def withdraw(delivery: Delivery, env: TargetEnv) -> Outcome:
    """POST the withdrawal version's ninjs (`pubStatus: canceled`, the reason in `edNote`, no body),
    signed like every delivery; `X-Synd-Event: article.withdrawn` says so before the body is read."""
    return _post_signed(delivery, env, body_bytes(delivery.ninjs), {"X-Synd-Event": WITHDRAWN_EVENT})


def body_bytes(ninjs: dict[str, Any]) -> bytes:
    return json.dumps(ninjs, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Outcome:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (http(s) checked)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) checked above)
            return Outcome(DELIVERED, detail={"status": response.status}, status=response.status)
    except urllib.error.HTTPError as exc:
        excerpt = _excerpt(exc)
        error = f"HTTP {exc.code}: {excerpt}" if excerpt else f"HTTP {exc.code}"
        if is_retryable(exc.code):
            return Outcome.retry(error, status=exc.code)
        return Outcome.failed(error, status=exc.code)
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        return Outcome.retry(f"network error: {type(reason).__name__}: {reason}"[:EXCERPT_CHARS])


def _excerpt(exc: urllib.error.HTTPError) -> str:
    try:
        raw = exc.read(EXCERPT_CHARS * 4)
    except Exception:  # noqa: BLE001 - the body is only a hint for operators
        return ""
    return " ".join(raw.decode("utf-8", "replace").split())[:EXCERPT_CHARS]


def secret_name(prefix: str | None, target_name: str) -> str:
    """`<prefix>/<target name>`: the one secret a target signs with."""
    if not prefix:
        raise NoSigningKey(f"no signing key for target {target_name}: WEBHOOK_SECRET_PREFIX is not set")
    if not _TARGET_NAME.fullmatch(target_name):
        raise NoSigningKey(f"no signing key for target {target_name!r}: a webhook target's name must be "
                           "1-128 of A-Z a-z 0-9 _ + = . @ - to name its secret")
    return f"{prefix.rstrip('/')}/{target_name}"


def signing_keys(prefix: str | None, target_name: str) -> list[bytes]:
    """The target's keys, current first (cached a few minutes per target; a missing secret is not cached,
    so creating it takes effect on the next attempt). Raises NoSigningKey; other AWS errors propagate
    (the publisher retries them)."""
    name = secret_name(prefix, target_name)
    cached = _key_cache.get(name)
    if cached is not None and time.monotonic() - cached[0] <= _SECRET_TTL:
        return cached[1]
    keys = _read_keys(name, target_name)
    _key_cache[name] = (time.monotonic(), keys)
    return keys


def _read_keys(name: str, target_name: str) -> list[bytes]:
    secrets = client("secretsmanager")
    try:
        value = secrets.get_secret_value(SecretId=name).get("SecretString") or ""
    except secrets.exceptions.ResourceNotFoundException:
        raise NoSigningKey(f"no signing key for target {target_name}: create secret {name} with a whsec_ key "
                           "(docs/publishing.md, 'Signing keys')") from None
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code not in ("AccessDeniedException", "DecryptionFailure", "InvalidRequestException"):
            raise
        raise NoSigningKey(f"no signing key for target {target_name}: reading secret {name} failed ({code})") from None
    try:
        return parse_secret(value)
    except BadSecret as exc:
        raise NoSigningKey(f"no signing key for target {target_name}: secret {name} is not valid ({exc})") from None


def clear_secret_cache() -> None:
    _key_cache.clear()
