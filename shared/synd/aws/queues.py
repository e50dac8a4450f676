"""Messages between stages."""
from __future__ import annotations

import json
from typing import Any

from synd.aws import client


def send(queue_url: str, message: dict[str, Any]) -> None:
    client("sqs").send_message(QueueUrl=queue_url, MessageBody=json.dumps(message))
