"""Small adapters between the core and AWS. Clients honour AWS_ENDPOINT_URL,
so the same code talks to moto locally and to AWS in Lambda."""
from __future__ import annotations

import os
from functools import lru_cache

import boto3
from botocore.config import Config

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5}, connect_timeout=5, read_timeout=30)


@lru_cache(maxsize=None)
def client(service: str):
    """One client per service per process (created on first use, reused across invocations)."""
    return boto3.client(service, region_name=os.environ.get("AWS_REGION", os.environ.get("AWS_DEFAULT_REGION", "us-east-1")),
                        config=_CONFIG)


def reset_clients() -> None:
    """Forget cached clients (tests switch endpoints)."""
    client.cache_clear()
