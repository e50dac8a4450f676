"""Create on a moto server the resources that template.yaml declares, read from the template itself.

The SAM template is first translated to plain CloudFormation by aws-sam-translator
(offline: the managed-policy map is empty, policy templates need no AWS), so what
is provisioned is exactly what `sam deploy` would create, under the same logical
ids. Then every resource of a type the pipeline uses at run time is created
through boto3 against the moto endpoint, in dependency order, with its intrinsic
functions (Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::If, Fn::Select, Fn::Split and
the pseudo parameters) resolved to the local names. There is no second list of
names or properties: change the template and the local stack follows.

Created: S3 buckets (versioning, encryption, public access block, the
notification configuration), SQS queues (redrive policy, visibility timeout,
retention, SSE), DynamoDB tables (keys, GSIs, billing, SSE, TTL, PITR), SNS topics,
EventBridge buses, Secrets Manager secrets (with a generated value), KMS keys; and,
outside the template, a signing key per enabled webhook target (`create_webhook_secrets`).
Lambda functions are not created (the local runner calls the handlers in
process) but get a name, so their environment and references resolve.
Everything else (IAM, policies, log groups, alarms, dashboard, layers, event
source mappings, CloudFront, subscriptions) is skipped and listed in `skipped`.
"""
from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

NO_VALUE = object()  # AWS::NoValue: the key or list item disappears


class Unresolved(Exception):
    """A reference to a resource that is not created yet (try again later) or never will be."""

    def __init__(self, logical_id: str):
        super().__init__(logical_id)
        self.logical_id = logical_id


@dataclass
class Resource:
    """One created (or named) resource: its Ref value and its Fn::GetAtt attributes."""

    logical_id: str
    type: str
    ref: str
    attributes: dict[str, str] = field(default_factory=dict)


Created = tuple[str, dict[str, str]]  # what a creator returns: the Ref value and the Fn::GetAtt attributes


@dataclass
class LocalStack:
    """What `provision` made: logical id -> physical name / URL / ARN, and the functions' environments.

    (synd.local.runner.LocalStack, the running local stack, holds one of these as `resources`.)"""

    stack_name: str
    region: str
    account_id: str
    endpoint_url: str
    template: dict[str, Any]  # the translated CloudFormation template
    parameters: dict[str, str]
    resources: dict[str, Resource] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # logical id -> type, not created locally

    def ref(self, logical_id: str) -> str:
        """What `!Ref logical_id` gives: bucket/table/bus name, queue URL, topic or secret ARN."""
        return self._resource(logical_id).ref

    def get_att(self, logical_id: str, attribute: str) -> str:
        resource = self._resource(logical_id)
        if attribute not in resource.attributes:
            raise KeyError(f"{logical_id} ({resource.type}) has no attribute {attribute!r} locally")
        return resource.attributes[attribute]

    def name(self, logical_id: str) -> str:
        resource = self._resource(logical_id)
        for key in ("QueueName", "TopicName", "Name"):
            if key in resource.attributes:
                return resource.attributes[key]
        return resource.ref

    def url(self, logical_id: str) -> str:
        """A queue's URL."""
        return self.get_att(logical_id, "QueueUrl")

    def arn(self, logical_id: str) -> str:
        return self.get_att(logical_id, "Arn")

    def ids_of_type(self, resource_type: str) -> list[str]:
        return [r.logical_id for r in self.resources.values() if r.type == resource_type]

    def queue_ids(self) -> list[str]:
        return self.ids_of_type("AWS::SQS::Queue")

    def function_environment(self, logical_id: str) -> dict[str, str]:
        """The function's Environment.Variables (SAM Globals merged in) resolved to the local names."""
        properties = self.template["Resources"][logical_id].get("Properties", {})
        variables = properties.get("Environment", {}).get("Variables", {})
        resolved = _Resolver(self).resolve(variables)
        return {key: _as_string(value) for key, value in resolved.items()}

    def resolve(self, value: Any) -> Any:
        """Any part of the translated template (a role's policies...) with its intrinsic functions resolved."""
        return _Resolver(self).resolve(value)

    def function_property(self, logical_id: str, name: str, default: Any = None) -> Any:
        """A function's property as deployed (SAM Globals merged in), e.g. Timeout or MemorySize."""
        properties = self.template["Resources"][logical_id].get("Properties", {})
        return _Resolver(self).resolve(properties.get(name, default))

    def _resource(self, logical_id: str) -> Resource:
        if logical_id not in self.resources:
            where = "skipped locally" if logical_id in self.skipped else "not in the template"
            raise KeyError(f"{logical_id} is {where}")
        return self.resources[logical_id]


def provision(template_path: Path, endpoint_url: str, stack_name: str = "synd-local", region: str = "us-east-1",
              parameters: dict[str, str] | None = None) -> LocalStack:
    """Translate `template_path` (SAM) and create its run-time resources on the moto server at `endpoint_url`."""
    sam_template = load_template(Path(template_path))
    values = parameter_values(sam_template, parameters or {})
    template = translate(sam_template, values, region)
    session = _session(region)
    account_id = session.client("sts", endpoint_url=endpoint_url).get_caller_identity()["Account"]
    stack = LocalStack(stack_name=stack_name, region=region, account_id=account_id, endpoint_url=endpoint_url,
                       template=template, parameters=values)
    _create_all(stack, session)
    return stack


# -- template ---------------------------------------------------------------------------------------
class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that reads CloudFormation short forms (!Ref, !Sub, !GetAtt ...) as their long forms."""


def _intrinsic(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    from samtranslator.yaml_helper import intrinsics_multi_constructor

    return intrinsics_multi_constructor(loader, "!", node)


_CfnLoader.add_multi_constructor("!", _intrinsic)


def load_template(path: Path) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass


def parameter_values(template: dict[str, Any], overrides: dict[str, str]) -> dict[str, str]:
    """Template defaults, then overrides; every value a string, as CloudFormation passes them."""
    values = {name: str(spec["Default"]) for name, spec in template.get("Parameters", {}).items() if "Default" in spec}
    values.update({name: str(value) for name, value in overrides.items()})
    missing = [name for name in template.get("Parameters", {}) if name not in values]
    if missing:
        raise ValueError(f"parameters without a value: {', '.join(missing)}")
    return values


def translate(sam_template: dict[str, Any], values: dict[str, str], region: str) -> dict[str, Any]:
    """SAM -> CloudFormation with aws-sam-translator, offline.

    Local CodeUri/ContentUri paths are replaced by placeholder S3 URIs first, as
    `sam validate` does: the translator only accepts S3 locations."""
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    sam_template = _with_placeholder_code_uris(copy.deepcopy(sam_template))
    translator = Translator(managed_policy_map={}, sam_parser=Parser(), boto_session=_session(region))
    return translator.translate(sam_template, parameter_values=dict(values), get_managed_policy_map=dict)


def _with_placeholder_code_uris(template: dict[str, Any]) -> dict[str, Any]:
    sections = [template.get("Globals", {}).get("Function", {})]
    sections += [r.get("Properties", {}) for r in template.get("Resources", {}).values()]
    for properties in sections:
        for key in ("CodeUri", "ContentUri"):
            if isinstance(properties.get(key), str) and not properties[key].startswith("s3://"):
                properties[key] = f"s3://local-placeholder/{properties[key].strip('/') or 'root'}"
    return template


def _session(region: str):
    import boto3

    # moto accepts any credentials; fixed ones keep real ones out of local runs
    dummy = "testing"
    return boto3.session.Session(aws_access_key_id=dummy, aws_secret_access_key=dummy,
                                 aws_session_token=dummy, region_name=region)


# -- intrinsic functions ----------------------------------------------------------------------------
class _Resolver:
    """Resolves intrinsic functions against the parameters, the pseudo parameters and what exists so far."""

    def __init__(self, stack: LocalStack):
        self.stack = stack
        self.pseudo = {
            "AWS::StackName": stack.stack_name, "AWS::Region": stack.region, "AWS::AccountId": stack.account_id,
            "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com", "AWS::NotificationARNs": [],
            "AWS::StackId": f"arn:aws:cloudformation:{stack.region}:{stack.account_id}:stack/{stack.stack_name}/local",
        }
        self._conditions: dict[str, bool] = {}

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            items = [self.resolve(v) for v in value]
            return [v for v in items if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, argument), = value.items()
            function = self._functions().get(key)
            if function:
                return function(argument)
        resolved = {k: self.resolve(v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}

    def _functions(self) -> dict[str, Callable[[Any], Any]]:
        return {"Ref": self._ref, "Fn::GetAtt": self._get_att, "Fn::Sub": self._sub, "Fn::Join": self._join,
                "Fn::If": self._if, "Fn::Select": self._select, "Fn::Split": self._split,
                "Condition": self.condition}

    def _ref(self, name: str) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.stack.parameters:
            return self.stack.parameters[name]
        if name in self.stack.resources:
            return self.stack.resources[name].ref
        raise Unresolved(name)

    def _get_att(self, argument: Any) -> str:
        logical_id, attribute = argument.split(".", 1) if isinstance(argument, str) else argument
        if logical_id not in self.stack.resources:
            raise Unresolved(logical_id)
        return self.stack.get_att(logical_id, self.resolve(attribute))

    def _sub(self, argument: Any) -> str:
        text, variables = (argument, {}) if isinstance(argument, str) else argument
        variables = {k: _as_string(self.resolve(v)) for k, v in variables.items()}

        def substitute(name: str) -> str:
            if name in variables:
                return variables[name]
            if "." in name and not name.startswith("AWS::"):
                return _as_string(self._get_att(name))
            return _as_string(self._ref(name))

        return _substitute(text, substitute)

    def _join(self, argument: list) -> str:
        delimiter, items = argument
        return delimiter.join(_as_string(v) for v in self.resolve(items))

    def _if(self, argument: list) -> Any:
        name, when_true, when_false = argument
        return self.resolve(when_true if self.condition(name) else when_false)

    def _select(self, argument: list) -> Any:
        index, items = argument
        return self.resolve(items)[int(self.resolve(index))]

    def _split(self, argument: list) -> list[str]:
        delimiter, text = argument
        return _as_string(self.resolve(text)).split(delimiter)

    def condition(self, name: str) -> bool:
        if name not in self._conditions:
            self._conditions[name] = self._evaluate(self.stack.template.get("Conditions", {})[name])
        return self._conditions[name]

    def _evaluate(self, expression: Any) -> bool:
        (key, argument), = expression.items()
        if key == "Condition":
            return self.condition(argument)
        if key == "Fn::Equals":
            left, right = (_as_string(self.resolve(v)) for v in argument)
            return left == right
        if key == "Fn::Not":
            return not self._evaluate(argument[0])
        if key == "Fn::And":
            return all(self._evaluate(e) for e in argument)
        if key == "Fn::Or":
            return any(self._evaluate(e) for e in argument)
        raise ValueError(f"unsupported condition function {key}")


def _substitute(text: str, lookup: Callable[[str], str]) -> str:
    """Fn::Sub's ${Name} replacement; ${!Literal} stays as ${Literal}."""
    out, position = [], 0
    while (start := text.find("${", position)) != -1:
        end = text.index("}", start)
        name = text[start + 2:end]
        out.append(text[position:start])
        out.append("${" + name[1:] + "}" if name.startswith("!") else lookup(name.strip()))
        position = end + 1
    out.append(text[position:])
    return "".join(out)


def _as_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


# -- creating resources -----------------------------------------------------------------------------
def _create_all(stack: LocalStack, session) -> None:
    """Create every supported resource whose references resolve, round after round, until none is left."""
    resolver = _Resolver(stack)
    pending: dict[str, dict[str, Any]] = {}
    for logical_id, resource in stack.template["Resources"].items():
        if "Condition" in resource and not resolver.condition(resource["Condition"]):
            continue
        if resource["Type"] in CREATORS or resource["Type"] in NAMED_ONLY:
            pending[logical_id] = resource
        else:
            stack.skipped[logical_id] = resource["Type"]
    clients = _Clients(session, stack.endpoint_url)
    while pending:
        progress, waiting_on = False, {}
        for logical_id, resource in list(pending.items()):
            properties = resource.get("Properties", {})
            if resource["Type"] in NAMED_ONLY:  # its role, layers... are not created: resolve only the name
                properties = {k: v for k, v in properties.items() if k == "FunctionName"}
            try:
                properties = resolver.resolve(properties)
            except Unresolved as exc:
                waiting_on[logical_id] = exc.logical_id
                continue
            make = CREATORS.get(resource["Type"]) or NAMED_ONLY[resource["Type"]]
            ref, attributes = make(clients, stack, logical_id, properties)
            stack.resources[logical_id] = Resource(logical_id, resource["Type"], ref, attributes)
            del pending[logical_id]
            progress = True
        if not progress:
            raise RuntimeError(f"cannot resolve references (resource -> missing): {waiting_on}")


class _Clients:
    def __init__(self, session, endpoint_url: str):
        self._session, self._endpoint = session, endpoint_url
        self._clients: dict[str, Any] = {}

    def __getattr__(self, service: str):
        if service not in self._clients:
            self._clients[service] = self._session.client(service.replace("_", "-"), endpoint_url=self._endpoint)
        return self._clients[service]


def _generated_name(stack: LocalStack, logical_id: str, max_length: int = 63, lower: bool = False) -> str:
    """CloudFormation's <stack>-<LogicalId>-<suffix> for resources the template does not name (stable here)."""
    suffix = hashlib.sha1(f"{stack.stack_name}/{logical_id}".encode(), usedforsecurity=False).hexdigest()[:8]
    name = f"{stack.stack_name}-{logical_id}"[: max_length - 9] + f"-{suffix}"
    return name.lower() if lower else name


def _already_exists(error: Exception, *codes: str) -> bool:
    return getattr(error, "response", {}).get("Error", {}).get("Code") in codes


def _bucket(clients: _Clients, stack: LocalStack, logical_id: str, p: dict[str, Any]) -> Created:
    s3 = clients.s3
    name = p.get("BucketName") or _generated_name(stack, logical_id, lower=True)
    create = {"Bucket": name}
    if stack.region != "us-east-1":
        create["CreateBucketConfiguration"] = {"LocationConstraint": stack.region}
    try:
        s3.create_bucket(**create)
    except Exception as error:  # provisioning twice on one server is fine
        if not _already_exists(error, "BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
            raise
    if p.get("VersioningConfiguration", {}).get("Status"):
        status = p["VersioningConfiguration"]["Status"]
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": status})
    if "BucketEncryption" in p:
        rules = [{("ApplyServerSideEncryptionByDefault" if k == "ServerSideEncryptionByDefault" else k): v
                  for k, v in rule.items()} for rule in p["BucketEncryption"]["ServerSideEncryptionConfiguration"]]
        s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules})
    if "PublicAccessBlockConfiguration" in p:
        s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=p["PublicAccessBlockConfiguration"])
    notifications = _notification_configuration(p.get("NotificationConfiguration", {}))
    if notifications:
        s3.put_bucket_notification_configuration(Bucket=name, NotificationConfiguration=notifications)
    return name, {
        "Arn": f"arn:aws:s3:::{name}", "DomainName": f"{name}.s3.amazonaws.com",
        "RegionalDomainName": f"{name}.s3.{stack.region}.amazonaws.com"}


def _notification_configuration(cfn: dict[str, Any]) -> dict[str, Any]:
    """CloudFormation's NotificationConfiguration in the S3 API's shape."""
    kinds = {"QueueConfigurations": ("Queue", "QueueArn"), "TopicConfigurations": ("Topic", "TopicArn"),
             "LambdaConfigurations": ("Function", "LambdaFunctionArn")}
    api: dict[str, Any] = {}
    for section, (cfn_key, api_key) in kinds.items():
        for item in cfn.get(section, []):
            entry = {api_key: item[cfn_key], "Events": [item["Event"]]}
            rules = item.get("Filter", {}).get("S3Key", {}).get("Rules", [])
            if rules:
                entry["Filter"] = {"Key": {"FilterRules": [{"Name": r["Name"], "Value": r["Value"]} for r in rules]}}
            api.setdefault(section, []).append(entry)
    if cfn.get("EventBridgeConfiguration", {}).get("EventBridgeEnabled"):
        api["EventBridgeConfiguration"] = {}
    return api


QUEUE_ATTRIBUTES = ("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds", "MaximumMessageSize",
                    "ReceiveMessageWaitTimeSeconds", "SqsManagedSseEnabled", "KmsMasterKeyId",
                    "KmsDataKeyReusePeriodSeconds", "FifoQueue", "ContentBasedDeduplication")


def _queue(clients: _Clients, stack: LocalStack, logical_id: str, p: dict[str, Any]) -> Created:
    fifo = _as_string(p.get("FifoQueue", "false")) == "true"
    name = p.get("QueueName") or _generated_name(stack, logical_id, max_length=75 if fifo else 80) + (
        ".fifo" if fifo else "")
    attributes = {key: _as_string(p[key]) for key in QUEUE_ATTRIBUTES if key in p}
    for key in ("RedrivePolicy", "RedriveAllowPolicy"):
        if key in p:
            attributes[key] = json.dumps(_numbers(p[key]) if isinstance(p[key], dict) else json.loads(p[key]))
    url = clients.sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = clients.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, {"Arn": arn, "QueueName": name, "QueueUrl": url}


def _numbers(policy: dict[str, Any]) -> dict[str, Any]:
    """Parameters arrive as strings; SQS wants maxReceiveCount as a number."""
    return {k: int(v) if k == "maxReceiveCount" else v for k, v in policy.items()}


TABLE_KEYS = ("AttributeDefinitions", "KeySchema", "BillingMode", "ProvisionedThroughput", "StreamSpecification",
              "TableClass")


def _table(clients: _Clients, stack: LocalStack, logical_id: str, p: dict[str, Any]) -> Created:
    dynamodb = clients.dynamodb
    name = p.get("TableName") or _generated_name(stack, logical_id, max_length=255)
    create = {key: p[key] for key in TABLE_KEYS if key in p}
    if p.get("GlobalSecondaryIndexes"):
        keep = ("IndexName", "KeySchema", "Projection", "ProvisionedThroughput")
        create["GlobalSecondaryIndexes"] = [{k: gsi[k] for k in keep if k in gsi}
                                            for gsi in p["GlobalSecondaryIndexes"]]
    if p.get("LocalSecondaryIndexes"):
        create["LocalSecondaryIndexes"] = p["LocalSecondaryIndexes"]
    if "SSESpecification" in p:
        create["SSESpecification"] = {"Enabled": _as_string(p["SSESpecification"].get("SSEEnabled")) == "true"}
    try:
        description = dynamodb.create_table(TableName=name, **create)["TableDescription"]
    except Exception as error:
        if not _already_exists(error, "ResourceInUseException"):
            raise
        description = dynamodb.describe_table(TableName=name)["Table"]
    ttl = p.get("TimeToLiveSpecification")
    if ttl and _as_string(ttl.get("Enabled")) == "true":
        dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification={
            "AttributeName": ttl["AttributeName"], "Enabled": True})
    pitr = p.get("PointInTimeRecoverySpecification", {})
    if _as_string(pitr.get("PointInTimeRecoveryEnabled")) == "true":
        dynamodb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={
            "PointInTimeRecoveryEnabled": True})
    attributes = {"Arn": description["TableArn"]}
    if description.get("LatestStreamArn"):
        attributes["StreamArn"] = description["LatestStreamArn"]
    return name, attributes


def _topic(clients: _Clients, stack: LocalStack, logical_id: str, p: dict[str, Any]) -> Created:
    name = p.get("TopicName") or _generated_name(stack, logical_id, max_length=256)
    attributes = {key: _as_string(p[key]) for key in ("KmsMasterKeyId", "DisplayName", "FifoTopic") if key in p}
    arn = clients.sns.create_topic(Name=name, Attributes=attributes)["TopicArn"]
    return arn, {"TopicArn": arn, "TopicName": name}


def _event_bus(clients: _Clients, stack: LocalStack, logical_id: str, p: dict[str, Any]) -> Created:
    name = p["Name"]
    try:
        arn = clients.events.create_event_bus(Name=name)["EventBusArn"]
    except Exception as error:
        if not _already_exists(error, "ResourceAlreadyExistsException"):
            raise
        arn = clients.events.describe_event_bus(Name=name)["Arn"]
    return name, {"Arn": arn, "Name": name}


GENERATE_KEYS = ("PasswordLength", "ExcludeCharacters", "ExcludeNumbers", "ExcludePunctuation", "ExcludeUppercase",
                 "ExcludeLowercase", "IncludeSpace", "RequireEachIncludedType")


def _secret(clients: _Clients, stack: LocalStack, logical_id: str, p: dict[str, Any]) -> Created:
    secrets = clients.secretsmanager
    name = p.get("Name") or _generated_name(stack, logical_id, max_length=256)
    value = p.get("SecretString")
    if value is None:
        generate = p.get("GenerateSecretString", {})
        options = {k: _secret_option(k, v) for k, v in generate.items() if k in GENERATE_KEYS}
        value = secrets.get_random_password(**options)["RandomPassword"]
        if "SecretStringTemplate" in generate:  # {"username": "x"} + GenerateStringKey -> JSON with the password
            value = json.dumps({**json.loads(generate["SecretStringTemplate"]), generate["GenerateStringKey"]: value})
    try:
        arn = secrets.create_secret(Name=name, SecretString=value, Description=p.get("Description", ""))["ARN"]
    except Exception as error:
        if not _already_exists(error, "ResourceExistsException"):
            raise
        arn = secrets.describe_secret(SecretId=name)["ARN"]
    return arn, {"Id": arn}


def enabled_webhook_targets(targets_yaml: Path) -> list[str]:
    """Names of the enabled webhook targets of a config's targets.yaml (none if there is no file)."""
    if not Path(targets_yaml).exists():
        return []
    raw = (yaml.safe_load(Path(targets_yaml).read_text(encoding="utf-8")) or {}).get("targets") or {}
    return [name for name, spec in raw.items()
            if isinstance(spec, dict) and spec.get("kind") == "webhook" and spec.get("enabled", True) is not False]


def create_webhook_secrets(stack: LocalStack, target_names: list[str]) -> dict[str, str]:
    """Each target's own signing key `$WEBHOOK_SECRET_PREFIX/<target>` (a fresh `whsec_` value), as an
    operator creates it in AWS (docs/publishing.md): the template cannot, it does not know the targets.
    A secret that exists keeps its value. Returns target -> secret name."""
    from synd.publish.signing import new_secret
    from synd.targets.webhook import NoSigningKey, secret_name

    prefix = stack.function_environment("PublishFunction").get("WEBHOOK_SECRET_PREFIX")
    secrets = _session(stack.region).client("secretsmanager", endpoint_url=stack.endpoint_url)
    created = {}
    for target in target_names:
        try:
            name = secret_name(prefix, target)
        except NoSigningKey:
            continue  # a bad name: the target's deliveries fail and say why
        try:
            secrets.create_secret(Name=name, SecretString=new_secret(),
                                  Description=f"webhook signing key of target {target} (local stack)")
        except Exception as error:  # provisioning twice on one server keeps the key
            if not _already_exists(error, "ResourceExistsException"):
                raise
        created[target] = name
    return created


def _secret_option(key: str, value: Any) -> Any:
    if key == "PasswordLength":
        return int(value)
    return value if key == "ExcludeCharacters" else _as_string(value) == "true"


def _kms_key(clients: _Clients, stack: LocalStack, logical_id: str, p: dict[str, Any]) -> Created:
    metadata = clients.kms.create_key(Description=p.get("Description", logical_id))["KeyMetadata"]
    return metadata["KeyId"], {"Arn": metadata["Arn"], "KeyId": metadata["KeyId"]}


def _function_name(clients: _Clients, stack: LocalStack, logical_id: str, p: dict[str, Any]) -> Created:
    """Not created: the runner calls the handler in process. Named so references to it resolve."""
    name = p.get("FunctionName") or _generated_name(stack, logical_id, max_length=64)
    arn = f"arn:aws:lambda:{stack.region}:{stack.account_id}:function:{name}"
    return name, {"Arn": arn}


CREATORS: dict[str, Callable[..., Created]] = {
    "AWS::S3::Bucket": _bucket,
    "AWS::SQS::Queue": _queue,
    "AWS::DynamoDB::Table": _table,
    "AWS::SNS::Topic": _topic,
    "AWS::Events::EventBus": _event_bus,
    "AWS::SecretsManager::Secret": _secret,
    "AWS::KMS::Key": _kms_key,
}
NAMED_ONLY: dict[str, Callable[..., Created]] = {"AWS::Lambda::Function": _function_name}
