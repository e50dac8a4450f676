"""The AWS calls the functions' own code makes, recorded from the tests that run it, and the IAM
permissions each call needs.

Why recorded and not listed: a list kept by hand drifts the day someone adds a
call. A botocore hook on every client (`before-parameter-build.*.*` for the
parameters, `after-call.*.*` for the status) records each call made while a
function's code is on the Python stack: its handler (functions/<name>/app.py)
or its stage entry module (synd/ingest.py, synd/publish/publisher.py), which
some tests call without the handler. Calls made by the tests themselves, by
operator commands (`synd redrive`, `synd report`) or by the provisioner are not
the functions' and are not recorded.

tests/integration/conftest.py installs the recorder for the whole session, so
`pytest tests/integration` records while the handler tests run and
test_template.py checks the result. When the session did not run every
integration test before test_template.py (`pytest tests/integration/test_template.py`,
`-k`, `--lf`), `recorded_calls` runs them again in a subprocess with the recorder
on. `required_permissions` turns one call into the (IAM action, resource ARN)
pairs AWS authorises it with.
"""
from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any, Iterable

import boto3

REPO = Path(__file__).resolve().parents[2]
INTEGRATION = REPO / "tests" / "integration"
OUT_ENV = "SYND_AWS_CALLS_OUT"  # the subprocess writes its recording there
NOT_RECORDING = {"test_template.py", "test_provision.py", "test_layer.py"}  # they run no function code

SYND = Path(os.path.realpath(importlib.util.find_spec("synd").origin)).parent  # found, not imported
FUNCTION_CODE = {  # a call made while one of these files is on the stack is that function's
    os.path.realpath(REPO / "functions" / "ingest" / "app.py"): "IngestFunction",
    str(SYND / "ingest.py"): "IngestFunction",
    os.path.realpath(REPO / "functions" / "publish" / "app.py"): "PublishFunction",
    str(SYND / "publish" / "publisher.py"): "PublishFunction",
    os.path.realpath(REPO / "functions" / "render" / "app.py"): "RenderFunction",
    os.path.realpath(REPO / "functions" / "backfill" / "app.py"): "BackfillFunction",  # it calls synd/ingest.py
}


class Recorder:
    """Records, per function, the distinct AWS calls its code makes (what is needed to authorise them)."""

    def __init__(self) -> None:
        self.calls: set[str] = set()  # JSON of each distinct call (hashable, and dumped as is)
        self.installed = False
        self.deselected = False
        self._function_of_file: dict[str, str | None] = {}

    def install(self) -> None:
        """Watch every boto3 client created from now on (boto3.client and Session.client alike)."""
        if self.installed:
            return
        original = boto3.session.Session.client
        recorder = self

        @functools.wraps(original)
        def client(session, *args, **kwargs):
            made = original(session, *args, **kwargs)
            made.meta.events.register("before-parameter-build.*.*", recorder._before, unique_id="synd-aws-calls-before")
            made.meta.events.register("after-call.*.*", recorder._after, unique_id="synd-aws-calls-after")
            return made

        boto3.session.Session.client = client
        self.installed = True

    def _before(self, params: dict[str, Any], model, context: dict[str, Any], **_: Any) -> None:
        function = self._running_function()
        if function is None:
            return
        call = {"function": function, "service": model.service_model.signing_name, "operation": model.name,
                "region": context.get("client_region") or "us-east-1", **facts(model.service_model.signing_name,
                                                                              model.name, params)}
        context["synd_aws_call"] = call
        self.calls.add(json.dumps(call, sort_keys=True))

    def _after(self, http_response, context: dict[str, Any], **_: Any) -> None:
        call = context.pop("synd_aws_call", None)
        if call is not None and getattr(http_response, "status_code", None) == 404:
            self.calls.add(json.dumps({**call, "missing": True}, sort_keys=True))

    def _running_function(self) -> str | None:
        """The outermost function code on the stack: the backfill handler's calls into synd/ingest.py
        are the backfill function's (its own role makes them), not the ingest function's."""
        frame, found = sys._getframe(1), None
        while frame is not None:
            filename = frame.f_code.co_filename
            if filename not in self._function_of_file:
                self._function_of_file[filename] = FUNCTION_CODE.get(os.path.realpath(filename))
            found = self._function_of_file[filename] or found
            frame = frame.f_back
        return found

    def recorded(self) -> list[dict[str, Any]]:
        return [json.loads(c) for c in sorted(self.calls)]

    def dump(self, path: str) -> None:
        Path(path).write_text(json.dumps(self.recorded(), indent=1), encoding="utf-8")

    def covers(self, session, first_item) -> bool:
        """Did this session run every recording test module, all of it, before `first_item`?"""
        if not self.installed or self.deselected:
            return False
        index = session.items.index(first_item)
        before = {Path(str(i.path)) for i in session.items[:index]}
        after = {Path(str(i.path)) for i in session.items[index:]}
        return recording_test_files() <= before and not (recording_test_files() & after)


RECORDER = Recorder()


RECORDING_FIXTURE = "needed"  # the fixture of the tests that check the recording (test_template.py)


def checks_last(items: list) -> None:
    """Put the tests that check the recording after every other integration test, in place (pytest's
    collection hook), so that a whole run checks its own recording instead of recording again in a
    subprocess (about five minutes)."""
    checks = [i for i in items if RECORDING_FIXTURE in getattr(i, "fixturenames", ())]
    if not checks:
        return
    rest = [i for i in items if i not in checks]
    integration = [n for n, i in enumerate(rest) if Path(str(i.path)).is_relative_to(INTEGRATION)]
    at = integration[-1] + 1 if integration else len(rest)
    items[:] = rest[:at] + checks + rest[at:]


def recording_test_files() -> set[Path]:
    return {p for p in INTEGRATION.rglob("test_*.py") if p.name not in NOT_RECORDING}


def facts(service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """What of a call's parameters decides which action on which resource AWS checks."""
    if service == "s3":
        found = {k: params[k] for k in ("Bucket", "Key") if k in params}
        found.update({flag: True for flag in ("VersionId", "ACL", "Tagging") if params.get(flag)})
        return found
    if service == "dynamodb":
        found = {k: params[k] for k in ("TableName", "IndexName") if k in params}
        if "TransactItems" in params:
            found["TransactItems"] = sorted({(kind, body["TableName"]) for item in params["TransactItems"]
                                             for kind, body in item.items()})
        if "RequestItems" in params:
            found["RequestItems"] = sorted(params["RequestItems"])
        return found
    if service == "sqs":
        name = params.get("QueueName") or str(params.get("QueueUrl", "")).rstrip("/").rsplit("/", 1)[-1]
        return {"QueueName": name}
    if service == "sns":
        return {"TopicArn": params.get("TopicArn") or params.get("TargetArn")}
    if service == "events":
        return {"EventBusNames": sorted({e.get("EventBusName", "default") for e in params.get("Entries", [])})}
    if service == "secretsmanager":
        return {"SecretId": params.get("SecretId")}
    return {}


# -- what a call needs ------------------------------------------------------------------------------
S3_OBJECT_ACTIONS = {"GetObject": "s3:GetObject", "HeadObject": "s3:GetObject", "PutObject": "s3:PutObject",
                     "DeleteObject": "s3:DeleteObject", "GetObjectTagging": "s3:GetObjectTagging",
                     "PutObjectTagging": "s3:PutObjectTagging"}
S3_VERSION_ACTIONS = {"s3:GetObject": "s3:GetObjectVersion", "s3:DeleteObject": "s3:DeleteObjectVersion",
                      "s3:GetObjectTagging": "s3:GetObjectVersionTagging"}
S3_BUCKET_ACTIONS = {"ListObjectsV2": "s3:ListBucket", "ListObjects": "s3:ListBucket", "HeadBucket": "s3:ListBucket",
                     "ListObjectVersions": "s3:ListBucketVersions"}
DYNAMODB_TRANSACT_ACTIONS = {"Put": "dynamodb:PutItem", "Update": "dynamodb:UpdateItem",
                             "Delete": "dynamodb:DeleteItem", "ConditionCheck": "dynamodb:ConditionCheckItem",
                             "Get": "dynamodb:GetItem"}
SQS_BATCH_ACTIONS = {"SendMessageBatch": "sqs:SendMessage", "DeleteMessageBatch": "sqs:DeleteMessage",
                     "ChangeMessageVisibilityBatch": "sqs:ChangeMessageVisibility"}


def required_permissions(call: dict[str, Any], account: str) -> list[tuple[str, str]]:
    """The (action, resource ARN) pairs IAM evaluates for `call` (see each service's authorization reference)."""
    region, service, operation = call["region"], call["service"], call["operation"]
    if service == "s3":
        return _s3_permissions(call)
    if service == "dynamodb":
        table = f"arn:aws:dynamodb:{region}:{account}:table/"
        if operation in ("TransactWriteItems", "TransactGetItems"):
            return [(DYNAMODB_TRANSACT_ACTIONS[kind], table + name) for kind, name in call["TransactItems"]]
        if "RequestItems" in call:
            return [(f"dynamodb:{operation}", table + name) for name in call["RequestItems"]]
        index = f"/index/{call['IndexName']}" if call.get("IndexName") else ""
        return [(f"dynamodb:{operation}", table + call["TableName"] + index)]
    if service == "sqs":
        action = SQS_BATCH_ACTIONS.get(operation, f"sqs:{operation}")
        return [(action, f"arn:aws:sqs:{region}:{account}:{call['QueueName']}")]
    if service == "sns":
        return [("sns:Publish" if operation == "PublishBatch" else f"sns:{operation}", call["TopicArn"])]
    if service == "events":
        return [(f"events:{operation}", bus if bus.startswith("arn:") else f"arn:aws:events:{region}:{account}:event-bus/{bus}")
                for bus in call["EventBusNames"]]
    if service == "secretsmanager":
        return [(f"secretsmanager:{operation}", secret_arn(call["SecretId"], region, account))]
    raise AssertionError(f"no IAM mapping for {service}:{operation}: add one to tests/integration/aws_calls.py")


def _s3_permissions(call: dict[str, Any]) -> list[tuple[str, str]]:
    bucket = f"arn:aws:s3:::{call['Bucket']}"
    operation = call["operation"]
    if operation in S3_BUCKET_ACTIONS:
        return [(S3_BUCKET_ACTIONS[operation], bucket)]
    if operation not in S3_OBJECT_ACTIONS:
        raise AssertionError(f"no IAM mapping for s3:{operation}: add one to tests/integration/aws_calls.py")
    action = S3_OBJECT_ACTIONS[operation]
    if call.get("VersionId"):
        action = S3_VERSION_ACTIONS.get(action, action)
    needed = [(action, f"{bucket}/{call['Key']}")]
    if call.get("ACL"):
        needed.append(("s3:PutObjectAcl", f"{bucket}/{call['Key']}"))
    if call.get("Tagging"):
        needed.append(("s3:PutObjectTagging", f"{bucket}/{call['Key']}"))
    if call.get("missing"):  # without s3:ListBucket, S3 answers 403 instead of 404 for a missing key
        needed.append(("s3:ListBucket", bucket))
    return needed


_SECRET_SUFFIX = re.compile(r"-[A-Za-z0-9]{6}$")


def secret_arn(secret: str, region: str, account: str) -> str:
    """A secret's ARN without the random 6-character suffix (moto's differ from run to run, policies use `*`)."""
    if secret.startswith("arn:"):
        return _SECRET_SUFFIX.sub("", secret)
    return f"arn:aws:secretsmanager:{region}:{account}:secret:{secret}"


# -- recording in a subprocess ----------------------------------------------------------------------
def recorded_calls(request) -> list[dict[str, Any]]:
    """This session's recording if it ran every recording test first, else a fresh one from a subprocess."""
    checks = [i for i in request.session.items if Path(str(i.path)) == Path(str(request.path))
              and RECORDING_FIXTURE in getattr(i, "fixturenames", ())]
    if checks and RECORDER.covers(request.session, checks[0]):
        return RECORDER.recorded()
    return record_in_subprocess()


def record_in_subprocess() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "calls.json"
        ignored = [f"--ignore={INTEGRATION / name}" for name in sorted(NOT_RECORDING)]
        result = subprocess.run([sys.executable, "-m", "pytest", str(INTEGRATION), *ignored, "-q", "-p", "no:cacheprovider",
                                 "--continue-on-collection-errors"],
                                cwd=REPO, env={**os.environ, OUT_ENV: str(out)}, capture_output=True, text=True,
                                timeout=1800)
        if result.returncode != 0:
            warnings.warn(f"recording run of the integration tests failed (exit {result.returncode}); "
                          f"the recording covers what ran:\n{result.stdout[-3000:]}", stacklevel=2)
        if not out.exists():
            raise AssertionError(f"the recording run wrote nothing:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
        return json.loads(out.read_text(encoding="utf-8"))


def by_function(calls: Iterable[dict[str, Any]], account: str) -> dict[str, set[tuple[str, str]]]:
    needed: dict[str, set[tuple[str, str]]] = {}
    for call in calls:
        needed.setdefault(call["function"], set()).update(required_permissions(call, account))
    return needed


# -- what a policy allows ---------------------------------------------------------------------------
def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _wildcard(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """IAM's `*` and `?` (actions match case-insensitively, resources exactly)."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE if ignore_case else 0) is not None


def _policy_resource(resource: str) -> str:
    if resource.startswith("arn:aws:secretsmanager:") and "*" not in resource:
        return _SECRET_SUFFIX.sub("", resource)  # a !Ref to a secret: its ARN as secret_arn() writes it
    return resource


def _applies(statement: dict[str, Any], action: str, resource: str) -> bool:
    return (any(_wildcard(a, action, ignore_case=True) for a in as_list(statement["Action"]))
            and any(_wildcard(_policy_resource(r), resource) for r in as_list(statement["Resource"])))


def allows(statements: list[dict[str, Any]], action: str, resource: str) -> bool:
    """An explicit Allow and no Deny (Conditions are not evaluated: the functions' statements have none)."""
    if any(s["Effect"] == "Deny" and _applies(s, action, resource) for s in statements):
        return False
    return any(s["Effect"] == "Allow" and _applies(s, action, resource) for s in statements)


def unused_grants(statements: list[dict[str, Any]], needed: set[tuple[str, str]]) -> list[str]:
    """Every (action, resource) an Allow grants that no recorded call needs."""
    unused = []
    for statement in (s for s in statements if s["Effect"] == "Allow"):
        for action in as_list(statement["Action"]):
            for resource in as_list(statement["Resource"]):
                if not any(_wildcard(action, a, ignore_case=True) and _wildcard(_policy_resource(resource), r)
                           for a, r in needed):
                    unused.append(f"{statement.get('Sid', '?')}: {action} on {resource}")
    return unused
