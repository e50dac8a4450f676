"""The embedded local stack: moto in server mode on 127.0.0.1, resources made
from template.yaml, and the real Lambda handlers fed with the very SQS
messages that moto's S3 notifications produce — the way Lambda's SQS event
source mapping feeds them in AWS (batches, partial failures, redrive).
"""
from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import socket
import sys
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]
TEMPLATE = REPO / "template.yaml"
FUNCTIONS = {"IngestFunction": ("IngestQueue", REPO / "functions/ingest/app.py"),
             "RenderFunction": ("RenderQueue", REPO / "functions/render/app.py"),
             "PublishFunction": ("PublishQueue", REPO / "functions/publish/app.py")}
# Polled only in a round where every other function found nothing: the local stand-in for the render
# queue's DelaySeconds (its batching window), so a drained burst costs one render per language.
DEFERRED_FUNCTIONS = ("RenderFunction",)
RETRY_AFTER_SECONDS = 1  # a failed message without a delay of its own comes back after this
LOCAL_CONFIG_MAX_AGE = 2  # seconds the functions keep the live settings (60 in AWS): `synd partners set` shows soon
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                    "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1"}


@dataclass
class LambdaContext:
    """What Powertools and the handlers read from the real Lambda context object.

    The remaining time counts down from the function's Timeout in the template,
    as in Lambda (the publish function derives its delivery leases from it);
    the local runner does not stop a handler that runs past it.
    """

    function_name: str
    memory_limit_in_mb: int = 1024  # the template's MemorySize
    timeout_seconds: float = 60.0  # the template's Timeout
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.started + self.timeout_seconds - time.monotonic()) * 1000))


@dataclass
class Function:
    name: str
    queue_url: str
    queue_arn: str
    handler: Callable[[dict, Any], dict]
    environment: dict[str, str] = field(default_factory=dict)
    timeout_seconds: float = 60.0
    memory_mb: int = 1024
    invocations: int = 0
    failures: int = 0

    def context(self) -> LambdaContext:
        return LambdaContext(self.name, memory_limit_in_mb=self.memory_mb, timeout_seconds=self.timeout_seconds)


class LocalStack:
    """Start with `LocalStack.start()`; `drain()` runs the handlers until every queue is empty."""

    def __init__(self, server, endpoint: str, resources, out_dir: Path):
        self.server, self.endpoint, self.resources, self.out_dir = server, endpoint, resources, out_dir
        self.functions: dict[str, Function] = {}
        self.log_file = out_dir / "logs" / "lambda.jsonl"
        self.config_dir = REPO / "config"  # partners.yaml and targets.yaml the functions read
        self._settings_seeded: dict[Path, tuple] = {}  # config dir -> the contents last seeded from it

    # -- start / stop -----------------------------------------------------------
    @classmethod
    def start(cls, out_dir: Path = REPO / "out", port: int = 0, template: Path = TEMPLATE,
              config_dir: Path | None = None, fresh: bool = False) -> LocalStack:
        """`config_dir` replaces the repo's config/ (e.g. a test's targets.yaml with a webhook on).
        moto keeps its data per process, so a stack started after another one in the same process
        sees that one's buckets, tables and messages; `fresh=True` resets moto first."""
        from moto.server import ThreadedMotoServer

        from synd.local import cloudwatch as local_cloudwatch, moto_fixes
        from synd.local.provision import create_webhook_secrets, enabled_webhook_targets, provision

        os.environ.update(FAKE_CREDENTIALS)
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request lines on the terminal
        warnings.filterwarnings("ignore", message="No application metrics to publish")  # a batch of test events
        moto_fixes.apply()  # where moto under threads is unlike AWS or wastes its one core (synd.local.moto_fixes)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port or free_port(), verbose=False)
        server.start()
        host, bound = server.get_host_and_port()
        endpoint = f"http://{host}:{bound}"
        if fresh:
            _reset_moto(endpoint)
        os.environ["AWS_ENDPOINT_URL"] = endpoint
        _reset_clients()
        resources = provision(template, endpoint)
        stack = cls(server, endpoint, resources, out_dir)
        if config_dir is not None:
            stack.config_dir = Path(config_dir)
        create_webhook_secrets(resources, enabled_webhook_targets(stack.config_dir / "targets.yaml"))
        stack.log_file.parent.mkdir(parents=True, exist_ok=True)
        stack.log_file.write_text("")  # a new stack, a new log
        stack._configure_environment()
        stack.sync_settings()  # the live settings, seeded from the config dir as `make deploy` does
        stack._watch_settings(True)
        stack._load_handlers()
        stack._no_queue_delays()
        local_cloudwatch.install(stack)  # the log groups and the template's alarms on moto
        return stack

    def stop(self) -> None:
        self._watch_settings(False)
        self.server.stop()

    @classmethod
    @contextlib.contextmanager
    def running(cls, **start_args: Any) -> Iterator[LocalStack]:
        """A stack for one piece of work inside a longer process (a test module, a bench run):
        started with `start(**start_args)`, then stopped, and the process's environment, clients
        and cached settings put back as they were, so the next stack or test starts clean."""
        saved = dict(os.environ)
        try:
            stack = cls.start(**start_args)
            try:
                yield stack
            finally:
                stack.stop()
        finally:
            os.environ.clear()
            os.environ.update(saved)
            _forget_cached_settings()
            _reset_clients()

    def _watch_settings(self, on: bool) -> None:
        """`settings.reload()` (what a test or tool calls after editing config/*.yaml) seeds the changed
        files into the live store at once, so that a command run next (`synd reconsider`) sees them."""
        from synd import settings

        hook = self._sync_stack_settings
        if on and hook not in settings.RELOAD_HOOKS:
            settings.RELOAD_HOOKS.append(hook)
        elif not on and hook in settings.RELOAD_HOOKS:
            settings.RELOAD_HOOKS.remove(hook)

    def _sync_stack_settings(self) -> None:
        self.sync_settings()

    def function_environment(self, logical_id: str) -> dict[str, str]:
        """The function's environment from the template, with the layer's /opt paths made local."""
        environment = self.resources.function_environment(logical_id)
        environment.pop("SYND_LID_MODEL", None)  # /opt/model exists only in Lambda: use the installed model file
        environment["SYND_CONFIG_DIR"] = str(self.config_dir)
        if not environment.get("SYND_SITE_URL"):  # no CloudFront locally: targets.yaml's base_url, else localhost
            environment.pop("SYND_SITE_URL", None)
        if environment.get("SYND_CONFIG_TABLE"):
            environment.setdefault("SYND_CONFIG_MAX_AGE", str(LOCAL_CONFIG_MAX_AGE))
        return environment

    def sync_settings(self, config_dir: Path | None = None) -> list:
        """Seed the live settings (synd.aws.config_store) from a config dir, as `make deploy` does: when the
        stack starts, and again whenever the files change (editing config/*.yaml under a running stack is
        a deploy of them). A change made with `synd partners set` stands until the file changes; a file that
        changed over such a change is refused, as in AWS (`synd partners seed --replace` applies it).
        Returns the seed results; an invalid file raises ConfigError at start and is printed later."""
        from synd import settings
        from synd.aws.config_store import ConfigStore, seed
        from synd.config_schema import KINDS, ConfigError

        directory = Path(config_dir or self.config_dir)
        table = self.resources.function_environment("IngestFunction").get("SYND_CONFIG_TABLE")
        contents = tuple(_read_or_none(directory / f"{kind}.yaml") for kind in KINDS)
        if not table or self._settings_seeded.get(directory) == contents:
            return []
        starting = not self._settings_seeded
        self._settings_seeded[directory] = contents
        results = []
        try:
            for kind in KINDS:  # a loop, not a comprehension: what was seeded before a failure is still reported
                if (directory / f"{kind}.yaml").exists():
                    results.append(seed(ConfigStore(table), kind, directory / f"{kind}.yaml", by="local stack"))  # noqa: PERF401
        except Exception as exc:
            if starting:
                raise
            if not isinstance(exc, ConfigError):  # a failed call: try again before the next invocation
                self._settings_seeded.pop(directory, None)
            print(f"synd local stack: {exc}\nThe live settings stay as they were.", file=sys.stderr)
        for result in results:
            if result.state == "refused":
                print(f"synd local stack: {result.message}", file=sys.stderr)
        settings.reload()
        return results

    def _configure_environment(self) -> None:
        for logical_id in FUNCTIONS:
            os.environ.update(self.function_environment(logical_id))
        os.environ.pop("SYND_LID_MODEL", None)
        os.environ.update({"SYND_LOG_FILE": str(self.log_file), "POWERTOOLS_TRACE_DISABLED": "true",
                           "AWS_ENDPOINT_URL": self.endpoint})
        _reset_clients()
        _forget_cached_settings()

    def _load_handlers(self) -> None:
        sqs = self.client("sqs")
        for logical_id, (queue_id, path) in FUNCTIONS.items():
            url = self.resources.url(queue_id)
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            module = _load_module(f"synd_local_{logical_id.lower()}", path)
            self.functions[logical_id] = Function(
                logical_id, url, arn, module.lambda_handler, self.function_environment(logical_id),
                timeout_seconds=float(self.resources.function_property(logical_id, "Timeout", 3)),
                memory_mb=int(self.resources.function_property(logical_id, "MemorySize", 128)))

    def _no_queue_delays(self) -> None:
        """A queue's DelaySeconds (the render queue's batching window) is 0 here: the runner polls the
        deferred functions when the others are idle instead, so that a drain does not wait for it."""
        sqs = self.client("sqs")
        for function in self.functions.values():
            attributes = sqs.get_queue_attributes(QueueUrl=function.queue_url, AttributeNames=["DelaySeconds"])
            if int(attributes["Attributes"].get("DelaySeconds", 0)):
                sqs.set_queue_attributes(QueueUrl=function.queue_url, Attributes={"DelaySeconds": "0"})

    def client(self, service: str):
        import boto3

        return boto3.client(service, endpoint_url=self.endpoint, region_name="us-east-1")

    def describe(self) -> dict[str, Any]:
        """What an operator (or `synd status`) needs to reach this stack."""
        environment = {}
        for logical_id in FUNCTIONS:
            environment.update(self.function_environment(logical_id))
        environment["INGEST_QUEUE_URL"] = self.resources.url("IngestQueue")  # for `synd replay`
        return {"endpoint_url": self.endpoint, "region": "us-east-1", "environment": environment,
                "log_file": str(self.log_file)}

    # -- running the functions --------------------------------------------------
    def poll_once(self, wait_seconds: int = 0) -> int:
        """One receive-and-invoke round on every function's queue; returns the messages handled."""
        handled = 0
        for function in self.functions.values():
            if function.name not in DEFERRED_FUNCTIONS:
                handled += self._invoke_batch(function, wait_seconds)
        if not handled:
            for name in DEFERRED_FUNCTIONS:
                if name in self.functions:
                    handled += self._invoke_batch(self.functions[name], wait_seconds)
        return handled

    def drain(self, timeout: float = 120.0, on_progress: Callable[[int], None] | None = None) -> None:
        """Run the handlers until every queue is empty (failed messages come back after
        their visibility timeout, which the local stack shortens to one second)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            handled = self.poll_once()
            if on_progress and handled:
                on_progress(handled)
            if not handled and self.queues_empty():
                return
            if not handled:
                time.sleep(0.2)
        raise TimeoutError(f"queues not drained after {timeout:.0f}s: {self.queue_depths()}")

    def _invoke_batch(self, function: Function, wait_seconds: int) -> int:
        from synd.local import cloudwatch as local_cloudwatch  # the lines also go to moto's CloudWatch

        sqs = self.client("sqs")
        messages, event = receive_event(sqs, function.queue_url, function.queue_arn, wait_seconds)
        if not messages:
            return 0
        os.environ.update(function.environment)  # as Lambda gives each function its own
        self.sync_settings(Path(function.environment.get("SYND_CONFIG_DIR") or self.config_dir))
        _name_service(function.environment.get("POWERTOOLS_SERVICE_NAME", function.name))
        delayed = _visibility_changes()
        with local_cloudwatch.invocation(self, function), \
                open(self.log_file, "a", encoding="utf-8") as log, contextlib.redirect_stdout(log):
            try:
                response = function.handler(event, function.context())
                failed = {f["itemIdentifier"] for f in (response or {}).get("batchItemFailures", [])}
            except Exception as exc:  # noqa: BLE001 - an invocation error: Lambda returns the whole batch to the queue
                print(json.dumps({"level": "ERROR", "function": function.name, "invocation_error": repr(exc)}))
                failed = {m["MessageId"] for m in messages}
        function.invocations += 1
        function.failures += len(failed)
        for message in messages:
            if message["MessageId"] not in failed:
                sqs.delete_message(QueueUrl=function.queue_url, ReceiptHandle=message["ReceiptHandle"])
            elif message["ReceiptHandle"] not in delayed:
                # back to the queue soon (the queue's own visibility timeout is minutes); a delay the handler
                # set itself (a backoff, another worker's lease) stands, as in AWS. moto moves a message to the
                # DLQ past maxReceiveCount.
                sqs.change_message_visibility(QueueUrl=function.queue_url, ReceiptHandle=message["ReceiptHandle"],
                                              VisibilityTimeout=RETRY_AFTER_SECONDS)
        delayed.clear()
        return len(messages)

    def queue_depths(self) -> dict[str, int]:
        sqs = self.client("sqs")
        depths = {}
        for logical_id in self.resources.queue_ids():
            names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                     "ApproximateNumberOfMessagesDelayed"]
            url = self.resources.url(logical_id)
            attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
            depths[logical_id] = sum(int(attrs.get(name, 0)) for name in names)
        return depths

    def queues_empty(self) -> bool:
        return all(self.queue_depths()[q] == 0 for q, _ in FUNCTIONS.values())

    # -- drops and results ------------------------------------------------------
    def upload(self, folder: Path) -> list[str]:
        """Drop every file below `folder` (laid out <partner>/<path>) under incoming/, as editors do."""
        s3, bucket, keys = self.client("s3"), os.environ["RAW_BUCKET"], []
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
            key = "incoming/" + path.relative_to(folder).as_posix()
            s3.upload_file(str(path), bucket, key)
            keys.append(key)
        return keys

    def export_site(self, target: Path) -> int:
        """Copy the published static site out of the site bucket so people can open it."""
        from synd.targets.site import export_site

        return export_site(os.environ["SITE_BUCKET"], target)

def receive_event(sqs, queue_url: str, queue_arn: str, wait_seconds: int = 0) -> tuple[list[dict], dict]:
    """Receive up to 10 messages as Lambda's SQS poller does; the messages and the event it would hand over."""
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds,
                                   AttributeNames=["All"], MessageAttributeNames=["All"]).get("Messages", [])
    return messages, {"Records": [sqs_record(m, queue_arn) for m in messages]}


def sqs_record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    """An SQS message in the shape Lambda's event source mapping hands it to a function."""
    return {
        "messageId": message["MessageId"], "receiptHandle": message["ReceiptHandle"], "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": {k: {"stringValue": v.get("StringValue"), "dataType": v["DataType"]}
                              for k, v in message.get("MessageAttributes", {}).items()},
        "md5OfBody": message["MD5OfBody"], "eventSource": "aws:sqs", "eventSourceARN": queue_arn,
        "awsRegion": "us-east-1",
    }


_DELAYED: set[str] = set()


def _visibility_changes() -> set[str]:
    """Receipt handles whose visibility the handlers change during an invocation (they set their own delay).

    Recorded by a botocore hook on the handlers' own SQS client (synd.aws.client), which is how the runner
    knows to leave such a message alone instead of bringing it back after one second.
    """
    from synd.aws import client

    def note(params, **_):
        _DELAYED.add(params.get("ReceiptHandle", ""))

    client("sqs").meta.events.register("provide-client-params.sqs.ChangeMessageVisibility", note,
                                       unique_id="synd-local-visibility")
    return _DELAYED


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path} cannot be loaded as a module")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _name_service(service: str) -> None:
    """Both handlers share one process (and so one Logger and Metrics) here; in Lambda each has its own."""
    from synd import observability

    observability.logger.service = service
    observability.logger._default_log_keys["service"] = service  # what clear_state=True resets to each call
    observability.logger.append_keys(service=service)
    observability.metrics.service = service


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _reset_moto(endpoint: str) -> None:
    """moto's documented reset call: every backend of this process forgets its data."""
    import urllib.request

    request = urllib.request.Request(f"{endpoint}/moto-api/reset", data=b"", method="POST")  # noqa: S310 (ours)
    with urllib.request.urlopen(request, timeout=30):  # noqa: S310 (our own 127.0.0.1 server)
        pass


def _forget_cached_settings() -> None:
    """Settings and the webhook secret are cached per process; a new stack may bring other ones."""
    from synd import settings
    from synd.targets.webhook import clear_secret_cache

    settings.reload()
    clear_secret_cache()


def _reset_clients() -> None:
    from synd.aws import reset_clients

    reset_clients()
