"""The local stack's DynamoDB under threads: moto 5.2 copies a table without a lock for each
TransactWriteItems (its rollback copy), so a write from another thread during the copy failed with
"dictionary changed size during iteration" (seen in CI as a flaky backfill test: an item failed,
its batch was retried). synd.local.moto_fixes serializes moto's DynamoDB operations; AWS needs nothing."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import boto3
from moto import mock_aws

from synd.local.moto_fixes import serialize_dynamodb

WRITERS, WRITES = 8, 60


def test_concurrent_transactions_and_puts_all_land_without_errors(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    serialize_dynamodb()  # what the local stack and tests/conftest.py apply
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name="us-east-1")
        ddb.create_table(TableName="t", BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
        for n in range(300):  # a table big enough that its copy takes a while
            ddb.put_item(TableName="t", Item={"pk": {"S": f"seed{n}"}, "text": {"S": "x" * 200}})

        def write(writer: int) -> list[str]:
            errors = []
            for n in range(WRITES):
                item = {"pk": {"S": f"w{writer}-{n}"}}
                try:
                    if n % 2:
                        ddb.put_item(TableName="t", Item=item)
                    else:
                        ddb.transact_write_items(TransactItems=[{"Put": {"TableName": "t", "Item": item}}])
                except Exception as exc:  # noqa: BLE001 - each error is what the test reports
                    errors.append(f"{type(exc).__name__}: {exc}")
            return errors

        with ThreadPoolExecutor(WRITERS) as pool:
            errors = [e for found in pool.map(write, range(WRITERS)) for e in found]
        count = sum(page["Count"] for page in ddb.get_paginator("scan").paginate(TableName="t", Select="COUNT"))
    assert errors == []
    assert count == 300 + WRITERS * WRITES
