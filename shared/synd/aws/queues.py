"""Messages between stages."""
from __future__ import annotations

import json
from typing import Any

from synd.aws import client


def send(queue_url: str, message: dict[str, Any]) -> None:
    client("sqs").send_message(QueueUrl=queue_url, MessageBody=json.dumps(message))


MAX_VISIBILITY = 12 * 60 * 60  # SQS limit


def return_later(queue_arn: str, receipt_handle: str, delay: float) -> bool:
    """Let a received message come back after `delay` seconds instead of the queue's visibility timeout.

    False (and the queue's own timeout applies) when the change could not be made."""
    try:
        _, _, _, _, account, name = queue_arn.split(":", 5)
        sqs = client("sqs")
        url = sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=receipt_handle,
                                      VisibilityTimeout=int(min(max(delay, 1), MAX_VISIBILITY)))
        return True
    except Exception:  # noqa: BLE001 - without it the message still comes back, only later
        return False
