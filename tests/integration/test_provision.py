"""Provisioning moto (server mode) from template.yaml: what the pipeline relies on at run time."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote_plus

import boto3
import pytest
from moto.server import ThreadedMotoServer

from synd.local.provision import create_webhook_secrets, enabled_webhook_targets, load_template, provision
from synd.publish.signing import parse_secret

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "template.yaml"


@pytest.fixture(scope="module")
def server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)  # port 0: the OS picks a free one
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="module")
def stack(server):
    return provision(TEMPLATE, server, stack_name="synd-test")


def client(stack, service):
    return boto3.client(service, endpoint_url=stack.endpoint_url, region_name=stack.region,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def s3_keys_on_queue(sqs, url: str) -> list[str]:
    """Object keys of every S3 notification on the queue (the s3:TestEvent has none)."""
    keys = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        if not messages:
            return keys
        for message in messages:
            body = json.loads(message["Body"])
            keys += [unquote_plus(r["s3"]["object"]["key"]) for r in body.get("Records", [])]  # keys arrive URL-encoded
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def test_a_drop_under_incoming_notifies_the_ingest_queue_and_nothing_else_does(stack):
    s3, sqs = client(stack, "s3"), client(stack, "sqs")
    raw = stack.ref("RawBucket")
    assert raw == "synd-test-raw-123456789012"  # the template's deterministic name, resolved
    s3_keys_on_queue(sqs, stack.url("IngestQueue"))  # drop the s3:TestEvent
    s3.put_object(Bucket=raw, Key="outgoing/p/x.txt", Body=b"not a drop")
    s3.put_object(Bucket=raw, Key="incoming/p/x.txt", Body=b"a drop")
    assert s3_keys_on_queue(sqs, stack.url("IngestQueue")) == ["incoming/p/x.txt"]


def test_ingest_queue_redrives_to_its_dlq_after_the_templates_max_receive_count(stack):
    sqs = client(stack, "sqs")
    attributes = sqs.get_queue_attributes(QueueUrl=stack.url("IngestQueue"), AttributeNames=["All"])["Attributes"]
    redrive = json.loads(attributes["RedrivePolicy"])
    default = load_template(TEMPLATE)["Parameters"]["MaxReceiveCount"]["Default"]
    assert redrive["deadLetterTargetArn"] == stack.arn("IngestDLQ")
    assert int(redrive["maxReceiveCount"]) == int(default)
    assert int(attributes["VisibilityTimeout"]) == 360


def test_parameter_overrides_reach_the_resources(server):
    other = provision(TEMPLATE, server, stack_name="synd-other", parameters={"MaxReceiveCount": "5"})
    attributes = client(other, "sqs").get_queue_attributes(
        QueueUrl=other.url("PublishQueue"), AttributeNames=["RedrivePolicy"])["Attributes"]
    assert json.loads(attributes["RedrivePolicy"])["maxReceiveCount"] == 5
    assert other.ref("RawBucket") == "synd-other-raw-123456789012"


def test_table_has_the_by_state_index_keys_and_ttl(stack):
    dynamodb = client(stack, "dynamodb")
    table = dynamodb.describe_table(TableName=stack.ref("Table"))["Table"]
    assert {(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]} == {("pk", "HASH"), ("sk", "RANGE")}
    (index,) = table["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "byStateSparse"
    assert [k["AttributeName"] for k in index["KeySchema"]] == ["gsi2pk", "gsi2sk"]
    assert index["Projection"]["ProjectionType"] == "INCLUDE"
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    ttl = dynamodb.describe_time_to_live(TableName=stack.ref("Table"))["TimeToLiveDescription"]
    assert ttl["AttributeName"] == "expires_at"


def test_raw_bucket_is_versioned_and_private(stack):
    s3 = client(stack, "s3")
    raw = stack.ref("RawBucket")
    assert s3.get_bucket_versioning(Bucket=raw)["Status"] == "Enabled"
    block = s3.get_public_access_block(Bucket=raw)["PublicAccessBlockConfiguration"]
    assert all(block.values())


def test_publishing_resources_exist_and_each_enabled_webhook_target_gets_its_own_key(stack, tmp_path):
    secrets = client(stack, "secretsmanager")
    assert stack.ids_of_type("AWS::SecretsManager::Secret") == []  # no key shared by every webhook target
    (tmp_path / "targets.yaml").write_text(json.dumps({"targets": {
        "a": {"kind": "webhook"}, "b": {"kind": "webhook", "enabled": True}, "off": {"kind": "webhook", "enabled": False},
        "site": {"kind": "site"}}}), encoding="utf-8")
    names = create_webhook_secrets(stack, enabled_webhook_targets(tmp_path / "targets.yaml"))
    assert names == {"a": "synd-test/webhooks/a", "b": "synd-test/webhooks/b"}
    values = {t: secrets.get_secret_value(SecretId=n)["SecretString"] for t, n in names.items()}
    assert values["a"] != values["b"] and all(parse_secret(v) for v in values.values())
    assert create_webhook_secrets(stack, ["a"]) == {"a": "synd-test/webhooks/a"}  # again: the key is kept
    assert secrets.get_secret_value(SecretId=names["a"])["SecretString"] == values["a"]
    topics = [t["TopicArn"] for t in client(stack, "sns").list_topics()["Topics"]]
    assert stack.ref("ArticlesTopic") in topics
    assert client(stack, "events").describe_event_bus(Name=stack.ref("EventBus"))["Name"] == "synd-test-articles"


def test_function_environment_is_resolved_to_the_local_names(stack):
    ingest = stack.function_environment("IngestFunction")
    publish = stack.function_environment("PublishFunction")
    assert ingest["RAW_BUCKET"] == stack.ref("RawBucket")
    assert ingest["PUBLISH_QUEUE_URL"] == stack.url("PublishQueue")
    assert ingest["TABLE_NAME"] == publish["TABLE_NAME"] == stack.ref("Table")  # from Globals
    assert ingest["POWERTOOLS_SERVICE_NAME"] == "ingest" and publish["POWERTOOLS_SERVICE_NAME"] == "publish"
    assert publish["SITE_BUCKET"] == stack.ref("SiteBucket")
    assert publish["WEBHOOK_SECRET_PREFIX"] == "synd-test/webhooks"
    assert "RAW_BUCKET" not in publish  # least privilege: publish never sees raw drops
    assert not any("${" in v or "Ref" in v for env in (ingest, publish) for v in env.values())


def test_only_run_time_types_are_created_the_rest_is_listed_as_skipped(stack):
    assert stack.skipped["Dashboard"] == "AWS::CloudWatch::Dashboard"
    assert stack.skipped["IngestFunctionRole"] == "AWS::IAM::Role"
    assert "SiteDistribution" not in stack.resources and "SiteDistribution" not in stack.skipped  # condition false
    assert sorted(stack.queue_ids()) == ["IngestDLQ", "IngestQueue", "PublishDLQ", "PublishQueue", "RenderDLQ",
                                         "RenderQueue"]


MINIMAL_TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String, Default: dev}
  Names: {Type: String, Default: "alpha,beta"}
Conditions:
  IsDev: !Equals [!Ref Stage, dev]
  IsProd: !Not [!Condition IsDev]
  DevOrProd: !Or [!Condition IsDev, !Condition IsProd]
  Never: !And [!Condition IsDev, !Condition IsProd]
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      FifoQueue: true
      ContentBasedDeduplication: true
  OnlyInProd:
    Type: AWS::SQS::Queue
    Condition: IsProd
  Credentials:
    Type: AWS::SecretsManager::Secret
    Properties:
      GenerateSecretString:
        SecretStringTemplate: '{"username": "partner"}'
        GenerateStringKey: password
        PasswordLength: 20
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/x/
      Handler: app.handler
      Runtime: python3.11
      Environment:
        Variables:
          JOBS: !GetAtt Jobs.QueueName
          LITERAL: !Sub "${!NotAVariable}-${AWS::Region}"
          JOINED: !Join ["/", [!Ref Stage, !Select [1, !Split [",", !Ref Names]]]]
          CHOSEN: !If [DevOrProd, yes-both, never]
          NEVER: !If [Never, set, !Ref AWS::NoValue]
          MAPPED: !Sub ["${Prefix}-${Jobs.Arn}", {Prefix: p}]
"""


def test_intrinsics_conditions_and_generated_names(server, tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text(MINIMAL_TEMPLATE)
    stack = provision(path, server, stack_name="mini")
    assert "OnlyInProd" not in stack.resources and "OnlyInProd" not in stack.skipped
    assert stack.name("Jobs").startswith("mini-Jobs-") and stack.name("Jobs").endswith(".fifo")
    env = stack.function_environment("Fn")
    assert env == {"JOBS": stack.name("Jobs"), "LITERAL": "${NotAVariable}-us-east-1", "JOINED": "dev/beta",
                   "CHOSEN": "yes-both", "MAPPED": f"p-{stack.arn('Jobs')}"}
    secret = json.loads(client(stack, "secretsmanager").get_secret_value(SecretId=stack.ref("Credentials"))["SecretString"])
    assert secret["username"] == "partner" and len(secret["password"]) == 20


def test_a_reference_to_a_resource_that_is_never_created_is_reported(server, tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text("""
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !Ref Logs
""")
    with pytest.raises(RuntimeError, match="Topic.*Logs"):
        provision(path, server, stack_name="broken")
