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
from moto import mock_aws

from synd.local.provision import load_template, parameter_values, provision, translate
from tests.integration import aws_calls

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "template.yaml"
BIN = Path(sys.executable).parent
S3_READ_ACTIONS = {"s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion",
                   "s3:GetLifecycleConfiguration"}
FUNCTIONS = ("IngestFunction", "PublishFunction", "RenderFunction", "BackfillFunction")
# Never granted to a function unless a recorded call needs it (and then this list is the place to argue it).
DESTRUCTIVE = ("s3:DeleteObject*", "s3:PutObjectAcl", "s3:PutObjectVersionAcl", "s3:PutBucket*",
               "s3:PutLifecycleConfiguration", "s3:PutObjectRetention", "dynamodb:Scan", "dynamodb:BatchWriteItem",
               "dynamodb:DeleteItem", "dynamodb:DeleteTable", "dynamodb:UpdateTable", "sqs:DeleteQueue",
               "sqs:PurgeQueue", "sqs:SetQueueAttributes", "sns:DeleteTopic", "sns:SetTopicAttributes",
               "secretsmanager:PutSecretValue", "secretsmanager:DeleteSecret", "iam:*", "kms:*")


@pytest.fixture(scope="module")
def sam():
    return load_template(TEMPLATE)


@pytest.fixture(scope="module")
def cfn(sam):
    return translate(sam, parameter_values(sam, {}), "us-east-1")


@pytest.fixture(scope="module")
def local(cfn):
    """The template provisioned as the tests provision it (moto), to resolve policies to the tests' names."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                            "AWS_DEFAULT_REGION": "us-east-1"}.items():
            patch.setenv(name, value)
        patch.delenv("AWS_ENDPOINT_URL", raising=False)
        with mock_aws():
            yield provision(TEMPLATE, None)


@pytest.fixture(scope="module")
def function_statements(cfn, local):
    """Each function's inline policy statements, resolved to the local names and ARNs."""
    return {function: [statement for policy in cfn["Resources"][f"{function}Role"]["Properties"]["Policies"]
                       for statement in local.resolve(policy["PolicyDocument"])["Statement"]]
            for function in FUNCTIONS}


@pytest.fixture(scope="module")
def needed(request, local):
    """Function -> the (action, resource) pairs its recorded AWS calls need (see tests/integration/aws_calls.py)."""
    calls = aws_calls.recorded_calls(request)
    return aws_calls.by_function(calls, local.account_id)


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
    assert len(mappings) == 3
    queues = cfn["Resources"]
    for mapping in mappings.values():
        properties = mapping["Properties"]
        assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        queue = queues[logical_id(properties["EventSourceArn"])]["Properties"]
        if queue.get("FifoQueue"):  # no batching window on a FIFO queue: its DelaySeconds gathers a burst
            assert "MaximumBatchingWindowInSeconds" not in properties and queue["DelaySeconds"] > 0
        else:
            assert properties["MaximumBatchingWindowInSeconds"] > 0
        assert properties["BatchSize"] >= 1
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
    assert set(buckets) == {"RawBucket", "ProcessedBucket", "SiteBucket", "AccessLogBucket"}
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
    assert topics == set(of_type(sam, "AWS::SNS::Topic")) == {"ArticlesTopic", "AlarmTopic"}


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
    from synd.aws.index import INDEX, PROJECTED

    assert index["IndexName"] == INDEX  # sparse and sharded: only the attributes the commands print
    assert index["Projection"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": list(PROJECTED)}


def test_every_function_logs_to_a_log_group_with_retention(cfn):
    groups = of_type(cfn, "AWS::Logs::LogGroup")
    for name, function in of_type(cfn, "AWS::Lambda::Function").items():
        group = groups[logical_id(function["Properties"]["LoggingConfig"]["LogGroup"])]
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}, name
        # X-Ray in prod only; elsewhere the functions do not even import it (synd.observability)
        assert function["Properties"]["TracingConfig"] == {"Mode": {"Fn::If": ["IsProd", "Active", "PassThrough"]}}
        assert function["Properties"]["Environment"]["Variables"]["POWERTOOLS_TRACE_DISABLED"] == \
            {"Fn::If": ["IsProd", "false", "true"]}
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
            ("Errors", "IngestFunction"), ("Errors", "PublishFunction"),
            ("ApproximateNumberOfMessagesVisible", "RenderDLQ"), ("Errors", "RenderFunction")} <= watched
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


def test_function_policies_name_their_resources_and_grant_nothing_destructive(function_statements):
    for function, statements in function_statements.items():
        for statement in statements:
            actions, resources = aws_calls.as_list(statement["Action"]), aws_calls.as_list(statement["Resource"])
            assert "*" not in resources and all(":::*" not in r for r in resources), (function, statement)
            assert all("*" not in action for action in actions), (function, statement)  # each action spelled out
            granted = [a for a in actions for pattern in DESTRUCTIVE if aws_calls._wildcard(pattern, a, ignore_case=True)]
            assert not granted, (function, statement.get("Sid"), granted)


def test_every_aws_call_of_the_functions_is_granted(needed, function_statements):
    """Recorded from the integration tests: what the handlers and stages really call (not a list kept by hand)."""
    assert set(needed) == set(FUNCTIONS), f"no calls recorded for {set(FUNCTIONS) - set(needed)}"
    for function, pairs in needed.items():
        refused = sorted(p for p in pairs if not aws_calls.allows(function_statements[function], *p))
        assert not refused, f"{function} is not granted: {refused}"


def test_functions_are_granted_only_what_they_call(needed, function_statements):
    for function in FUNCTIONS:
        unused = aws_calls.unused_grants(function_statements[function], needed.get(function, set()))
        assert not unused, f"{function} is granted what no recorded call needs: {unused}"


def service_statements(document, service):
    return [s for s in document["Statement"] if isinstance(s, dict) and s.get("Principal") == {"Service": service}]


def test_raw_bucket_access_is_logged_to_a_private_expiring_log_bucket(sam):
    resources = sam["Resources"]
    logging = resources["RawBucket"]["Properties"]["LoggingConfiguration"]
    assert logical_id(logging["DestinationBucketName"]) == "AccessLogBucket" and logging["LogFilePrefix"]
    log_bucket = resources["AccessLogBucket"]
    properties = log_bucket["Properties"]
    assert properties["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"] == \
        {"SSEAlgorithm": "AES256"}  # the only default encryption S3 server access logging delivers to
    assert properties["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]  # policy, no ACLs
    assert any(rule["Status"] == "Enabled" and rule.get("ExpirationInDays")
               for rule in properties["LifecycleConfiguration"]["Rules"])
    (policy,) = [p for p in of_type(sam, "AWS::S3::BucketPolicy").values()
                 if logical_id(p["Properties"]["Bucket"]) == "AccessLogBucket"]
    grants = service_statements(policy["Properties"]["PolicyDocument"], "logging.s3.amazonaws.com")
    for grant in grants:  # each source bucket may write under its own prefix only, from this account
        assert grant["Effect"] == "Allow" and grant["Action"] == "s3:PutObject"
        assert grant["Condition"]["StringEquals"]["aws:SourceAccount"] == {"Ref": "AWS::AccountId"}
        assert set(grant["Condition"]) == {"ArnLike", "StringEquals"}
    (raw_grant,) = [g for g in grants if "-raw-" in json.dumps(g["Condition"]["ArnLike"]["aws:SourceArn"])]
    assert raw_grant["Resource"] == {"Fn::Sub": "arn:${AWS::Partition}:s3:::${AccessLogBucket}/raw/*"}
    assert logging["LogFilePrefix"] == "raw/"
    # S3 checks the destination when logging is turned on: the policy must exist first
    assert "AccessLogBucketPolicy" in resources["RawBucket"]["DependsOn"]


def csp_directives(policy: str) -> dict[str, set[str]]:
    return {name: set(values) for name, *values in (d.split() for d in policy.split(";") if d.strip())}


def test_cdn_sends_security_headers_at_least_as_strict_as_the_pages_csp(sam):
    from synd.publish.html import CSP

    resources = sam["Resources"]
    (name, policy), = of_type(sam, "AWS::CloudFront::ResponseHeadersPolicy").items()
    assert policy["Condition"] == "CreateCdn"
    behaviour = resources["SiteDistribution"]["Properties"]["DistributionConfig"]["DefaultCacheBehavior"]
    assert logical_id(behaviour["ResponseHeadersPolicyId"]) == name
    headers = policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    hsts = headers["StrictTransportSecurity"]
    assert hsts["AccessControlMaxAgeSec"] >= 365 * 24 * 3600 and hsts["IncludeSubdomains"] is True
    assert headers["ContentTypeOptions"]["Override"] is True
    assert headers["FrameOptions"]["FrameOption"] == "DENY"
    assert headers["ReferrerPolicy"]["ReferrerPolicy"] == "no-referrer"  # as the pages' <meta name="referrer">
    header_csp = csp_directives(headers["ContentSecurityPolicy"]["ContentSecurityPolicy"])
    assert header_csp["frame-ancestors"] == {"'none'"}  # what a <meta> CSP cannot say
    for directive, sources in csp_directives(CSP).items():  # every page directive, no source more
        assert header_csp[directive] <= sources, directive
    assert set(header_csp) - set(csp_directives(CSP)) <= {"frame-ancestors", "upgrade-insecure-requests"}
    assert all(h["Override"] is True for h in headers.values())


def test_alarm_topic_admits_only_this_accounts_alarms_and_its_key_only_their_use(sam):
    resources = sam["Resources"]
    (topic_policy,) = [p for p in of_type(sam, "AWS::SNS::TopicPolicy").values()
                       if [logical_id(t) for t in p["Properties"]["Topics"]] == ["AlarmTopic"]]
    key_policy = resources["AlarmKey"]["Properties"]["KeyPolicy"]
    for document in (topic_policy["Properties"]["PolicyDocument"], key_policy):
        (grant,) = service_statements(document, "cloudwatch.amazonaws.com")
        assert grant["Condition"]["StringEquals"]["aws:SourceAccount"] == {"Ref": "AWS::AccountId"}
        assert ":cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:" in json.dumps(
            grant["Condition"]["ArnLike"]["aws:SourceArn"])


def alarms_on(sam, metric, namespace):
    return {k: a["Properties"] for k, a in of_type(sam, "AWS::CloudWatch::Alarm").items()
            if a["Properties"]["MetricName"] == metric and a["Properties"]["Namespace"] == namespace}


def test_every_work_queue_has_an_age_alarm(sam):
    dlqs = {logical_id(q["Properties"]["RedrivePolicy"]["deadLetterTargetArn"])
            for q in of_type(sam, "AWS::SQS::Queue").values() if "RedrivePolicy" in q["Properties"]}
    work_queues = set(of_type(sam, "AWS::SQS::Queue")) - dlqs
    watched = {logical_id(a["Dimensions"][0]["Value"]) for a in alarms_on(sam, "ApproximateAgeOfOldestMessage", "AWS/SQS").values()}
    assert work_queues == {"IngestQueue", "PublishQueue", "RenderQueue"} and watched == work_queues


def test_records_failing_in_their_batch_raise_an_alarm_for_each_function(sam):
    alarms = alarms_on(sam, "RecordsFailed", "Syndication")
    services = {a["Dimensions"][0]["Value"] for a in alarms.values()}
    assert services == {"ingest", "publish", "render"}
    for alarm in alarms.values():
        assert alarm["Dimensions"] == [{"Name": "service", "Value": alarm["Dimensions"][0]["Value"]}]
        assert (alarm["Statistic"], alarm["Threshold"], alarm["ComparisonOperator"]) == ("Sum", 0, "GreaterThanThreshold")
        assert alarm["Period"] * alarm["EvaluationPeriods"] <= 300 and alarm["TreatMissingData"] == "notBreaching"
        assert "synd" in alarm["AlarmDescription"]  # says what to do


def test_the_dashboard_shows_every_alarm_and_the_failed_records(sam):
    body, variables = sam["Resources"]["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    widgets = json.loads(body)["widgets"]
    (alarm_widget,) = [w for w in widgets if w["type"] == "alarm"]
    assert set(alarm_widget["properties"]["alarms"]) == {"${%s.Arn}" % a for a in of_type(sam, "AWS::CloudWatch::Alarm")}
    metrics = [m for w in widgets for m in w["properties"].get("metrics", [])]
    assert {("RecordsFailed", m[3]) for m in metrics if m[:2] == ["Syndication", "RecordsFailed"]} == \
        {("RecordsFailed", "ingest"), ("RecordsFailed", "publish")}
    assert ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", "${PublishQueueName}", {"yAxis": "right"}] in metrics


def test_monitoring_doc_names_every_alarm_and_custom_metric(sam):
    doc = (REPO / "docs" / "monitoring.md").read_text(encoding="utf-8")
    assert [a for a in of_type(sam, "AWS::CloudWatch::Alarm") if f"`{a}`" not in doc] == []
    assert "`RecordsFailed`" in doc


CHECKOV = REPO / ".venv-checkov" / "bin" / "checkov"
CHECKOV_OFFLINE = {"BC_SKIP_MAPPING": "TRUE", "CKV_SKIP_PACKAGE_UPDATE_CHECK": "TRUE"}  # as the Makefile runs it


def test_every_checkov_skip_gives_its_reason(sam):
    import yaml

    config_text = (REPO / ".checkov.yaml").read_text(encoding="utf-8")
    skipped = yaml.safe_load(config_text)["skip-check"]
    lines = config_text.splitlines()
    for check in skipped:
        (index,) = [i for i, line in enumerate(lines) if line.strip() == f"- {check}"]
        assert lines[index - 1].strip().startswith("#") and len(lines[index - 1]) > 20, check  # its reason above it
    assert yaml.safe_load(config_text)["skip-download"] is True  # offline
    for name, resource in sam["Resources"].items():
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
            assert len(skip.get("comment", "")) > 20, (name, skip)


@pytest.mark.skipif(not CHECKOV.exists(), reason="no .venv-checkov (make checkov-venv)")
def test_checkov_passes_on_the_template_and_its_translation(tmp_path):
    translation = tmp_path / "template.cfn.json"
    sam = load_template(TEMPLATE)
    translation.write_text(json.dumps(translate(sam, parameter_values(sam, {"EnableCdn": "true", "AlarmEmail": "a@b.c"}),
                                                "us-east-1")), encoding="utf-8")
    result = subprocess.run([str(CHECKOV), "--config-file", str(REPO / ".checkov.yaml"), "-f", str(TEMPLATE),
                             "-f", str(translation)], capture_output=True, text=True, timeout=600, cwd=REPO,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(Path.home()), **CHECKOV_OFFLINE})
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert "Failed checks: 0" in result.stdout


def state_machine_definition(cfn, logical_id):
    """The ASL of a state machine as SAM translated it (substitutions left as ${names})."""
    joined = cfn["Resources"][logical_id]["Properties"]["DefinitionString"]["Fn::Join"]
    return json.loads(joined[0].join(joined[1]))


def test_the_backfill_is_a_distributed_map_over_the_listed_objects_with_batches_and_a_set_concurrency(sam, cfn):
    from synd.backfill import core, items, local

    properties = cfn["Resources"]["BackfillStateMachine"]["Properties"]
    definition = state_machine_definition(cfn, "BackfillStateMachine")
    states = definition["States"]
    settings, mapped = states[definition["StartAt"]], states[states[definition["StartAt"]]["Next"]]
    assert mapped["Type"] == "Map" and mapped["ItemProcessor"]["ProcessorConfig"]["Mode"] == "DISTRIBUTED"
    assert mapped["ItemReader"] == {"Resource": "arn:aws:states:::s3:listObjectsV2",
                                    "Parameters": {"Bucket.$": "$.Bucket", "Prefix.$": "$.Prefix"}}
    assert mapped["ItemBatcher"]["MaxItemsPerBatch"] == items.BATCH_SIZE  # the local form's batches too
    assert mapped["ItemBatcher"]["BatchInput"] == {"Bucket.$": "$.Bucket", "Prefix.$": "$.Prefix", "Partner.$": "$.Partner"}
    # MaxConcurrency from the stack parameter (a substitution is a string: StringToJson makes it a number)
    assert mapped["MaxConcurrencyPath"] == "$.MaxConcurrency"
    assert settings["Parameters"]["MaxConcurrency.$"] == "States.StringToJson('${BackfillConcurrency}')"
    assert properties["DefinitionSubstitutions"]["BackfillConcurrency"] == {"Ref": "BackfillConcurrency"}
    assert sam["Parameters"]["BackfillConcurrency"]["MinValue"] >= 1
    assert 0 < mapped["ToleratedFailurePercentage"] <= 10
    task = mapped["ItemProcessor"]["States"][mapped["ItemProcessor"]["StartAt"]]
    assert task["Parameters"] == {"FunctionName": "${BackfillFunctionArn}", "Payload.$": "$"}
    assert any(retry["ErrorEquals"] == [core.BatchIncomplete.__name__] for retry in task["Retry"])
    assert properties["DefinitionSubstitutions"]["BackfillFunctionArn"] == {"Fn::GetAtt": ["BackfillFunction", "Arn"]}
    # the renderer's catch-up runs after the map, whether it succeeded or not
    catch_up = states[mapped["Next"]]
    assert catch_up["Parameters"]["Payload"] == {"CatchUp": True, "Waits.$": "$.Waits"}
    assert mapped["Catch"][0]["Next"] == mapped["Next"]
    # ... once the publish queue has taken the backfill's articles: the function says waiting, the machine waits
    published_yet = states[catch_up["Next"]]
    assert published_yet["Choices"][0] == {"Variable": "$.CatchUp.waiting", "BooleanEquals": True,
                                           "Next": "WaitForPublishing"}
    step, seen = "WaitForPublishing", []
    while step != mapped["Next"] and len(seen) < 5:
        seen.append(step)
        step = states[step]["Next"]
    assert step == mapped["Next"] and settings["Parameters"]["Waits"] == 0
    assert sam["Resources"]["BackfillFunction"]["Properties"]["Timeout"] == local.TIMEOUT_SECONDS


def test_the_backfill_state_machine_lists_one_bucket_invokes_one_function_and_runs_only_its_own_children(cfn, local):
    role = cfn["Resources"]["BackfillStateMachineRole"]["Properties"]
    statements = [s for policy in role["Policies"] for s in local.resolve(policy["PolicyDocument"])["Statement"]]
    granted = {(a, r) for s in statements for a in aws_calls.as_list(s["Action"]) for r in aws_calls.as_list(s["Resource"])}
    raw, processed = local.ref("RawBucket"), local.ref("ProcessedBucket")
    assert {a for a, _ in granted} == {"s3:ListBucket", "lambda:InvokeFunction", "states:StartExecution",
                                       "states:DescribeExecution", "states:StopExecution", "s3:PutObject",
                                       "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"}
    assert {r for a, r in granted if a == "s3:ListBucket"} == {f"arn:aws:s3:::{raw}"}  # BackfillBucket empty: raw
    assert {r for a, r in granted if a.startswith("s3:") and a != "s3:ListBucket"} == \
        {f"arn:aws:s3:::{processed}/backfill-results/*"}
    [invoked] = {r for a, r in granted if a == "lambda:InvokeFunction"}
    assert ":function:" in invoked and "*" not in invoked
    assert all(r.endswith(":stateMachine:synd-local-backfill") or ":execution:synd-local-backfill/" in r
               for a, r in granted if a.startswith("states:"))
    assert role.get("ManagedPolicyArns", []) in ([], ["arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"])
