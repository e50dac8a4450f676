"""Test helpers for the publish stage on moto in-process: the resources the publish function uses,
the SQS event the Lambda poller makes, a config dir. Used by integration and e2e tests."""
import base64
import hashlib
import json
import os
from contextlib import contextmanager
from pathlib import Path

import boto3
from moto import mock_aws

from synd.aws import reset_clients
from synd.local.provision import provision
from synd.local.runner import LambdaContext, receive_event
from synd.publish.publisher import PublishConfig
from synd.targets import TargetEnv
from synd.targets.webhook import clear_secret_cache, secret_name

HOOKS = ("partner-hook", "bad-hook", "paid", "hook")  # the webhook targets the publish tests configure
# each its own whsec_ key (fixed, so tests can sign and verify); Receiver(SECRET) accepts each target's own key
KEYS = {name: "whsec_" + base64.b64encode(hashlib.sha256(f"synd-test-key:{name}".encode()).digest()).decode()
        for name in HOOKS}
SECRET = KEYS
REGION = "us-east-1"
REPO = Path(__file__).resolve().parents[3]


class Stack:
    """Names and clients of the resources, made from template.yaml as the local stack makes them."""

    def __init__(self):
        resources = provision(REPO / "template.yaml", None)
        self.table, self.processed, self.site = (resources.name("Table"), resources.name("ProcessedBucket"),
                                                 resources.name("SiteBucket"))
        self.s3 = boto3.client("s3", region_name=REGION)
        self.sqs = boto3.client("sqs", region_name=REGION)
        self.secret_prefix = resources.function_environment("PublishFunction")["WEBHOOK_SECRET_PREFIX"]
        secrets = boto3.client("secretsmanager", region_name=REGION)
        for name, key in KEYS.items():  # as an operator creates them (docs/publishing.md)
            secrets.create_secret(Name=secret_name(self.secret_prefix, name), SecretString=key)
        self.topic_arn = resources.ref("ArticlesTopic")
        self.bus = resources.ref("EventBus")
        self.publish_queue, self.publish_dlq = resources.url("PublishQueue"), resources.url("PublishDLQ")
        self.env = TargetEnv(processed_bucket=self.processed, site_bucket=self.site,
                             articles_topic_arn=self.topic_arn, event_bus_name=self.bus,
                             webhook_secret_prefix=self.secret_prefix, table_name=self.table)
        self.render_queue = resources.url("RenderQueue")  # the tests that render through it set it on env
        self.sqs.set_queue_attributes(QueueUrl=self.render_queue, Attributes={"DelaySeconds": "0"})  # as the local stack
        self.config = PublishConfig(table=self.table, env=self.env)

    def environ(self) -> dict[str, str]:
        return {"TABLE_NAME": self.table, "PROCESSED_BUCKET": self.processed, "SITE_BUCKET": self.site,
                "ARTICLES_TOPIC_ARN": self.topic_arn, "EVENT_BUS_NAME": self.bus,
                "WEBHOOK_SECRET_PREFIX": self.secret_prefix, "PUBLISH_QUEUE_URL": self.publish_queue}

    def put_version(self, record: dict) -> dict:
        """What ingest stores of a version: its table items (the version's, and LATEST unless a newer version
        holds it) and the ninjs copy in the processed bucket; returns the publish message."""
        from synd.aws.articles import ArticleStore, now_iso, to_item, version_items
        from synd.aws.versions import ninjs_key
        from synd.ingest import publish_message
        from synd.ninjs import to_ninjs

        article_id, version = record["id"], int(record["version"])
        at = record.get("stored_at") or now_iso()
        version_item, latest_item = version_items(record, version, at, record.get("first_created") or at)
        ddb = boto3.client("dynamodb", region_name=REGION)
        ddb.put_item(TableName=self.table, Item=to_item(version_item))
        latest = ArticleStore(self.table).latest(article_id)
        if latest is None or int(latest["version"]) <= version:
            ddb.put_item(TableName=self.table, Item=to_item(latest_item))
        self.s3.put_object(Bucket=self.processed, Key=ninjs_key(article_id, version),
                           Body=json.dumps(to_ninjs(record)).encode())
        return publish_message(record, version)

    def text(self, key: str, bucket: str | None = None) -> str:
        return self.s3.get_object(Bucket=bucket or self.site, Key=key)["Body"].read().decode("utf-8")


def receive_as_event(sqs, queue_url: str) -> dict:
    """Receive messages as the Lambda SQS poller does and shape them as its event."""
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return receive_event(sqs, queue_url, arn)[1]


def write_config(directory: Path, hook_url: str | None, paid_url: str | None = None, **hook_options) -> Path:
    """A config dir like config/ with the webhook pointing at a test receiver."""
    import yaml

    directory.mkdir(parents=True, exist_ok=True)
    targets = {"targets": {
        "site": {"kind": "site", "options": {"base_url": "https://site.example"}},
        "hook": {"kind": "webhook", "options": {"url": hook_url, "backoff_base": 1, "backoff_cap": 2,
                                                **hook_options}},
        "aggregator": {"kind": "sns", "excerpts": True},
        "translation_desk": {"kind": "eventbridge", "translates": True},
        "paid": {"kind": "webhook", "commercial": True, "options": {"url": paid_url or hook_url}},
    }}
    if hook_url is None:  # no webhooks at all
        del targets["targets"]["hook"], targets["targets"]["paid"]
    (directory / "targets.yaml").write_text(yaml.safe_dump(targets), encoding="utf-8")
    (directory / "partners.yaml").write_text(yaml.safe_dump({"partners": {"default": {}}}), encoding="utf-8")
    return directory




@contextmanager
def mocked_stack():
    """Fake credentials, moto in-process, the resources; the synd client cache is reset on both sides."""
    saved = {k: os.environ.get(k) for k in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_ACCESS_KEY_ID",
                                            "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_REGION")}
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        os.environ.pop(name, None)
    os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION})
    try:
        with mock_aws():
            reset_clients()
            clear_secret_cache()
            yield Stack()
    finally:
        reset_clients()
        clear_secret_cache()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def publish_app(stack: Stack, config_dir: Path, monkeypatch):
    """functions/publish/app.py set up as Lambda would run it against this stack and config dir."""
    import importlib

    from synd import settings

    for name, value in stack.environ().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SYND_CONFIG_DIR", str(config_dir))
    settings.reload()
    app = importlib.import_module("publish.app")
    app.config.cache_clear()
    return app


def drain(stack: Stack, app, timeout: float = 60.0) -> int:
    """Feed the publish queue to the handler as the SQS poller does, until nothing is left in flight."""
    import time

    deadline, invocations = time.monotonic() + timeout, 0
    while time.monotonic() < deadline:
        event = receive_as_event(stack.sqs, stack.publish_queue)
        if event["Records"]:
            try:
                response = app.lambda_handler(event, LambdaContext("PublishFunction"))
                failed = {f["itemIdentifier"] for f in response["batchItemFailures"]}
            except Exception:  # noqa: BLE001 - the whole batch failed: every message comes back
                failed = {r["messageId"] for r in event["Records"]}
            for record in event["Records"]:  # the poller deletes what succeeded
                if record["messageId"] not in failed:
                    stack.sqs.delete_message(QueueUrl=stack.publish_queue, ReceiptHandle=record["receiptHandle"])
            invocations += 1
            continue
        counts = stack.sqs.get_queue_attributes(
            QueueUrl=stack.publish_queue,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
        if counts["ApproximateNumberOfMessages"] == "0" and counts["ApproximateNumberOfMessagesNotVisible"] == "0":
            return invocations
        time.sleep(0.2)
    raise TimeoutError("the publish queue did not drain")
