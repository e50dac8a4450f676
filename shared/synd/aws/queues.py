"""Messages between stages."""
from __future__ import annotations

import json
from typing import Any

from synd.aws import client


def send(queue_url: str, message: dict[str, Any], dedupe_id: str | None = None) -> None:
    attributes = {"dedupe": {"DataType": "String", "StringValue": dedupe_id}} if dedupe_id else {}
    client("sqs").send_message(QueueUrl=queue_url, MessageBody=json.dumps(message), MessageAttributes=attributes)
