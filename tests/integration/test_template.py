"""template.yaml: cfn-lint clean, and the properties the pipeline's reliability and security rest on.

Checked on the template as written and on its CloudFormation translation
(aws-sam-translator, offline), so SAM's generated event source mappings and
IAM roles are checked too.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from synd.local.provision import load_template, parameter_values, translate

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "template.yaml"
BIN = Path(sys.executable).parent
S3_READ_ACTIONS = {"s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion",
                   "s3:GetLifecycleConfiguration"}


@pytest.fixture(scope="module")
def sam():
    return load_template(TEMPLATE)


@pytest.fixture(scope="module")
def cfn(sam):
    return translate(sam, parameter_values(sam, {}), "us-east-1")


def of_type(template, resource_type):
    return {k: r for k, r in template["Resources"].items() if r["Type"] == resource_type}


def logical_id(reference):
    """IngestQueue from {"Fn::GetAtt": ["IngestQueue", "Arn"]} or {"Ref": "IngestQueue"}."""
    if "Ref" in reference:
        return reference["Ref"]
    target = reference["Fn::GetAtt"]
    return target.split(".")[0] if isinstance(target, str) else target[0]


def test_cfn_lint_passes():
    result = subprocess.run([str(BIN / "cfn-lint"), str(TEMPLATE)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(not (REPO / ".venv-sam/bin/sam").exists(), reason="no .venv-sam (make sam-venv)")
def test_sam_validate_lint_passes():
    result = subprocess.run([str(REPO / ".venv-sam/bin/sam"), "validate", "--lint", "--region", "us-east-1",
                             "--template-file", str(TEMPLATE)], capture_output=True, text=True, timeout=300,
                            env={"PATH": "/usr/bin:/bin", "SAM_CLI_TELEMETRY": "0", "HOME": str(Path.home())})
    assert result.returncode == 0, result.stdout + result.stderr


def test_functions_take_sqs_batches_with_partial_failures_and_queues_outlast_them(cfn):
    mappings = of_type(cfn, "AWS::Lambda::EventSourceMapping")
    assert len(mappings) == 2
    queues = cfn["Resources"]
    for mapping in mappings.values():
        properties = mapping["Properties"]
        assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert properties["MaximumBatchingWindowInSeconds"] > 0 and properties["BatchSize"] >= 1
        queue = queues[logical_id(properties["EventSourceArn"])]["Properties"]
        function = queues[logical_id(properties["FunctionName"])]["Properties"]
        assert queue["VisibilityTimeout"] >= 6 * function["Timeout"]
        assert queue["RedrivePolicy"]["maxReceiveCount"] == {"Ref": "MaxReceiveCount"}
        dlq = queues[logical_id(queue["RedrivePolicy"]["deadLetterTargetArn"])]
        assert dlq["Type"] == "AWS::SQS::Queue"


def test_max_receive_count_is_bounded_3_to_5(sam):
    parameter = sam["Parameters"]["MaxReceiveCount"]
    assert (parameter["MinValue"], parameter["MaxValue"]) == (3, 5) and 3 <= parameter["Default"] <= 5


def test_no_s3_to_lambda_the_raw_bucket_notifies_the_ingest_queue_under_incoming(sam, cfn):
    for function in of_type(sam, "AWS::Serverless::Function").values():
        assert all(event["Type"] != "S3" for event in function["Properties"].get("Events", {}).values())
    assert not any("s3" in json.dumps(p["Properties"].get("Principal", ""))
                   for p in of_type(cfn, "AWS::Lambda::Permission").values())
    notification = sam["Resources"]["RawBucket"]["Properties"]["NotificationConfiguration"]
    assert set(notification) == {"QueueConfigurations"}
    (queue_config,) = notification["QueueConfigurations"]
    assert logical_id(queue_config["Queue"]) == "IngestQueue"
    assert queue_config["Filter"]["S3Key"]["Rules"] == [{"Name": "prefix", "Value": "incoming/"}]
    # the queue policy lets only this bucket of this account send
    (statement, *_) = sam["Resources"]["IngestQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "s3.amazonaws.com"}
    assert set(statement["Condition"]) == {"ArnEquals", "StringEquals"}
    assert "aws:SourceAccount" in statement["Condition"]["StringEquals"]


def test_every_bucket_is_private_encrypted_and_tls_only(sam):
    buckets = of_type(sam, "AWS::S3::Bucket")
    policies = {logical_id(p["Properties"]["Bucket"]): p["Properties"]["PolicyDocument"]
                for p in of_type(sam, "AWS::S3::BucketPolicy").values()}
    assert set(buckets) == {"RawBucket", "ProcessedBucket", "SiteBucket"}
    for name, bucket in buckets.items():
        properties = bucket["Properties"]
        assert all(properties["PublicAccessBlockConfiguration"].values()), name
        assert properties["BucketEncryption"]["ServerSideEncryptionConfiguration"], name
        deny = [s for s in policies[name]["Statement"] if isinstance(s, dict) and s.get("Effect") == "Deny"]
        assert any(s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in deny), name
    assert sam["Resources"]["RawBucket"]["Properties"]["VersioningConfiguration"]["Status"] == "Enabled"
    assert sam["Resources"]["RawBucket"]["DeletionPolicy"] == "Retain"


def test_every_queue_and_the_articles_topic_refuse_requests_without_tls(sam):
    def denies_plain_http(document):
        return any(s.get("Effect") == "Deny" and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
                   for s in document["Statement"])

    covered = {logical_id(q) for p in of_type(sam, "AWS::SQS::QueuePolicy").values()
               if denies_plain_http(p["Properties"]["PolicyDocument"]) for q in p["Properties"]["Queues"]}
    assert covered == set(of_type(sam, "AWS::SQS::Queue"))
    topics = {logical_id(t) for p in of_type(sam, "AWS::SNS::TopicPolicy").values()
              if denies_plain_http(p["Properties"]["PolicyDocument"]) for t in p["Properties"]["Topics"]}
    assert "ArticlesTopic" in topics


def test_encryption_at_rest_for_queues_topics_and_table(sam):
    for name, queue in of_type(sam, "AWS::SQS::Queue").items():
        assert queue["Properties"].get("SqsManagedSseEnabled") is True or "KmsMasterKeyId" in queue["Properties"], name
    for name, topic in of_type(sam, "AWS::SNS::Topic").items():
        assert topic["Properties"].get("KmsMasterKeyId"), name
    table = sam["Resources"]["Table"]["Properties"]
    assert table["SSESpecification"]["SSEEnabled"] is True
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    (index,) = table["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "byState" and index["Projection"] == {"ProjectionType": "ALL"}


def test_every_function_logs_to_a_log_group_with_retention(cfn):
    groups = of_type(cfn, "AWS::Logs::LogGroup")
    for name, function in of_type(cfn, "AWS::Lambda::Function").items():
        group = groups[logical_id(function["Properties"]["LoggingConfig"]["LogGroup"])]
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}, name
        assert function["Properties"]["TracingConfig"] == {"Mode": "Active"}
        assert function["Properties"]["Handler"] == "app.lambda_handler"
        assert function["Properties"]["Runtime"] == "python3.11"
        assert function["Properties"]["Environment"]["Variables"]["SYND_LID_MODEL"] == "/opt/model/lid.176.ftz"


def test_ingest_may_only_read_raw_drops_and_publish_never_sees_them(cfn):
    def statements(role):
        return [s for policy in cfn["Resources"][role]["Properties"].get("Policies", [])
                for s in policy["PolicyDocument"]["Statement"]]

    raw_statements = [s for s in statements("IngestFunctionRole") if "RawBucket" in json.dumps(s["Resource"])]
    assert raw_statements
    for statement in raw_statements:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        assert set(actions) <= S3_READ_ACTIONS, actions
    assert "RawBucket" not in json.dumps(statements("PublishFunctionRole"))


def test_dlqs_and_function_errors_raise_alarms_to_the_alarm_topic(sam):
    alarms = of_type(sam, "AWS::CloudWatch::Alarm").values()
    watched = {(a["Properties"]["MetricName"], logical_id(a["Properties"]["Dimensions"][0]["Value"]))
               for a in alarms if a["Properties"]["Namespace"] in ("AWS/SQS", "AWS/Lambda")}
    assert {("ApproximateNumberOfMessagesVisible", "IngestDLQ"), ("ApproximateNumberOfMessagesVisible", "PublishDLQ"),
            ("Errors", "IngestFunction"), ("Errors", "PublishFunction")} <= watched
    for alarm in alarms:
        assert [logical_id(a) for a in alarm["Properties"]["AlarmActions"]] == ["AlarmTopic"]


def test_dashboard_uses_only_the_service_dimension_for_custom_metrics(sam):
    body = sam["Resources"]["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"][0]
    metrics = [m for w in json.loads(body)["widgets"] for m in w["properties"].get("metrics", [])]
    custom = [m for m in metrics if m[0] == "Syndication"]
    assert {m[1] for m in custom} >= {"DropsReceived", "ArticlesIngested", "ArticlesPublished", "DeliveriesFailed"}
    assert all(m[2] == "service" and (len(m) == 4 or isinstance(m[4], dict)) for m in custom)
    assert "DashboardUrl" in sam["Outputs"]


def test_layer_is_built_by_the_makefile(sam):
    layer = sam["Resources"]["SyndLayer"]
    assert layer["Metadata"]["BuildMethod"] == "makefile"
    assert layer["Properties"]["ContentUri"] == "shared/"
    assert "build-SyndLayer:" in (REPO / "shared/Makefile").read_text()
