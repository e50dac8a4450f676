"""Small adapters between the core and AWS. Clients honour AWS_ENDPOINT_URL,
so the same code talks to moto locally and to AWS in Lambda."""
from __future__ import annotations

import os
import threading
from functools import cache

import boto3
from botocore.config import Config

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5}, connect_timeout=5, read_timeout=30)


_CLIENTS_LOCK = threading.Lock()


def client(service: str):
    """One client per service per process (created on first use, reused across invocations).

    A client is thread-safe, the default session that makes it is not (boto3's guide, "Multithreading"):
    the publisher's threads may ask for their first client at the same moment, so clients are made
    under a lock."""
    with _CLIENTS_LOCK:
        return _client(service)


@cache
def _client(service: str):
    region = os.environ.get("AWS_REGION", os.environ.get("AWS_DEFAULT_REGION", "us-east-1"))
    return boto3.client(service, region_name=region, config=_CONFIG)


def command_endpoint() -> str | None:
    """The endpoint synd's commands talk to: $SYND_ENDPOINT_URL (what out/stack.env of the local stack sets,
    so the operator's own `aws` commands in that shell still go to AWS), else $AWS_ENDPOINT_URL."""
    return os.environ.get("SYND_ENDPOINT_URL") or os.environ.get("AWS_ENDPOINT_URL") or None


def use_endpoint(endpoint_url: str | None) -> None:
    """Point this process's clients at `endpoint_url` (the local stack's: fake credentials if none are set)."""
    if endpoint_url:
        os.environ["AWS_ENDPOINT_URL"] = endpoint_url
        os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        reset_clients()


def reset_clients() -> None:
    """Forget cached clients (tests switch endpoints)."""
    with _CLIENTS_LOCK:
        _client.cache_clear()
