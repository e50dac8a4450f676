"""One drop through the ingest and publish handlers on moto in-process, with every log line each stage writes.

Shared by tests/integration/test_log_lines.py (how many INFO lines per article and stage, and which
fields) and bench/logs.py (lines and bytes per article and stage). Four targets: the site, the SNS
aggregator, the EventBridge translation desk and a webhook answered by a local receiver.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import boto3
import yaml
from moto import mock_aws

from synd.aws import reset_clients
from synd.local.provision import provision
from synd.local.runner import LambdaContext, receive_event
from synd.targets.webhook import clear_secret_cache, secret_name
from tests.integration.publish.publish_stack import KEYS
from tests.unit.publish.publish_samples import Receiver

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
               "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "true"}
HOOK = "hook"  # the webhook target; its signing key is KEYS["hook"]


@dataclass
class StageLog:
    """What one stage wrote: the Powertools Logger's JSON lines and the EMF metric lines."""

    lines: list[str] = field(default_factory=list)
    emf: list[str] = field(default_factory=list)

    @property
    def records(self) -> list[dict]:
        return [json.loads(line) for line in self.lines]

    def at(self, level: str) -> list[dict]:
        return [r for r in self.records if r.get("level") == level]


def write_targets(directory: Path, hook_url: str, **hook_options) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    targets = {"targets": {
        "site": {"kind": "site", "options": {"base_url": "https://site.example"}},
        "aggregator": {"kind": "sns", "excerpts": True},
        "translation_desk": {"kind": "eventbridge", "translates": True},
        HOOK: {"kind": "webhook", "options": {"url": hook_url, "backoff_base": 1, "backoff_cap": 2, **hook_options}},
    }}
    (directory / "targets.yaml").write_text(yaml.safe_dump(targets), encoding="utf-8")
    (directory / "partners.yaml").write_text((REPO / "config" / "partners.yaml").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    return directory


@contextlib.contextmanager
def environ(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in (*values, "AWS_ENDPOINT_URL", "AWS_PROFILE")}
    os.environ.pop("AWS_ENDPOINT_URL", None)
    os.environ.pop("AWS_PROFILE", None)
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def captured(level: str = "INFO") -> Iterator[StageLog]:
    """The Logger's lines at `level` (prod runs INFO), and the EMF lines Metrics prints to stdout."""
    from synd.observability import logger

    stream, stdout, log = io.StringIO(), io.StringIO(), StageLog()
    previous_stream = logger.registered_handler.setStream(stream)  # the Logger keeps the stream it was made with
    previous_level = logger.log_level
    logger.setLevel(level)
    try:
        with contextlib.redirect_stdout(stdout):
            yield log
    finally:
        logger.registered_handler.setStream(previous_stream)
        logger.setLevel(previous_level)
        log.lines = [line for line in stream.getvalue().splitlines() if line.startswith("{")]
        log.emf = [line for line in stdout.getvalue().splitlines() if '"_aws"' in line]


class Pipeline:
    """The template's resources on moto, the two handlers set up as Lambda runs them, and a webhook receiver."""

    def __init__(self, config_dir: Path, receiver: Receiver):
        self.resources = provision(REPO / "template.yaml", None)
        self.receiver = receiver
        env = {}
        for logical_id in ("IngestFunction", "PublishFunction"):
            env.update(self.resources.function_environment(logical_id))
        env["SYND_CONFIG_DIR"] = str(config_dir)
        env.pop("SYND_LID_MODEL", None)
        os.environ.update(env)
        boto3.client("secretsmanager").create_secret(Name=secret_name(env["WEBHOOK_SECRET_PREFIX"], HOOK),
                                                     SecretString=KEYS[HOOK])
        self.sqs, self.s3 = boto3.client("sqs"), boto3.client("s3")

    def ingest(self, key: str, body: bytes, level: str = "INFO") -> StageLog:
        """Drop `body` at `key` in the raw bucket and run the ingest handler on the notifications it makes."""
        from ingest import app

        self.s3.put_object(Bucket=os.environ["RAW_BUCKET"], Key=key, Body=body)
        app.config.cache_clear()
        with captured(level) as log:
            self._drain("IngestQueue", app, "IngestFunction")
        return log

    def publish(self, level: str = "INFO", once: bool = False) -> StageLog:
        """Run the publish handler on every message the publish queue holds (retries included), or `once`."""
        from publish import app

        app.config.cache_clear()
        with captured(level) as log:
            self._drain("PublishQueue", app, "PublishFunction", once)
        return log

    def _drain(self, queue: str, app, function: str, once: bool = False) -> None:
        """Feed the queue to the handler as Lambda's poller does, until it is empty (a retry waits its delay);
        `once`: one batch."""
        import time

        url, arn = self.resources.url(queue), self.resources.arn(queue)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            _, event = receive_event(self.sqs, url, arn)
            if not event["Records"]:
                counts = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
                if counts["ApproximateNumberOfMessages"] == counts["ApproximateNumberOfMessagesNotVisible"] == "0":
                    return
                time.sleep(0.2)
                continue
            try:
                response = app.lambda_handler(event, LambdaContext(function))
                failed = {f["itemIdentifier"] for f in response["batchItemFailures"]}
            except Exception:  # noqa: BLE001 - every record failed (Powertools raises): all come back
                failed = {r["messageId"] for r in event["Records"]}
            for record in event["Records"]:
                if record["messageId"] not in failed:
                    self.sqs.delete_message(QueueUrl=url, ReceiptHandle=record["receiptHandle"])
            if once:
                return
        raise TimeoutError(f"{queue} did not drain")


@contextlib.contextmanager
def pipeline(config_dir: Path, script: dict[str, list[int]] | None = None, path: str = "/in",
             **hook_options) -> Iterator[Pipeline]:
    """A fresh moto with the template's resources; the webhook target posts to the receiver's `path`, which
    answers `script` (path -> statuses; `/always400` always refuses)."""
    from synd import settings

    with Receiver(KEYS, script) as receiver, environ(CREDENTIALS), mock_aws():
        write_targets(config_dir, receiver.url + path, **hook_options)
        reset_clients()
        clear_secret_cache()
        with environ({}):  # whatever the functions' environment sets is undone on the way out
            saved = dict(os.environ)
            try:
                made = Pipeline(config_dir, receiver)
                settings.reload()
                yield made
            finally:
                os.environ.clear()
                os.environ.update(saved)
                reset_clients()
                clear_secret_cache()
                settings.reload()
