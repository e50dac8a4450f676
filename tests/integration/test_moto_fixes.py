"""The local stack's DynamoDB under threads: moto 5.2 copies a table without a lock for each
TransactWriteItems (its rollback copy), so a write from another thread during the copy failed with
"dictionary changed size during iteration" (seen in CI as a flaky backfill test: an item failed,
its batch was retried). synd.local.moto_fixes serializes moto's DynamoDB operations; AWS needs nothing."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest
from moto import mock_aws

from synd.local.moto_fixes import serialize_dynamodb

WRITERS, WRITES = 8, 60


@pytest.fixture()
def aws_env(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)


def test_concurrent_transactions_and_puts_all_land_without_errors(aws_env):
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


def test_the_server_routes_requests_without_listing_moto_s_package_each_time(monkeypatch):
    """moto's server listed its package directory (a stat per service folder) for every request,
    under its dispatcher's lock; after the fix the listing is the same and made once."""
    import os

    from moto import backends

    from synd.local.moto_fixes import route_from_cached_modules

    moto_own = getattr(backends.list_of_moto_modules, "__wrapped__", backends.list_of_moto_modules)
    monkeypatch.setattr(backends, "list_of_moto_modules", moto_own)  # as moto ships it (conftest applied the fix)
    listings = []
    real_listdir = os.listdir
    monkeypatch.setattr(os, "listdir", lambda path: listings.append(path) or real_listdir(path))
    routed_unfixed = [list(backends.list_of_moto_modules()) for _ in range(20)]
    expected = routed_unfixed[0]
    assert len(listings) == 20  # the defect: one listing per routed request
    listings.clear()
    route_from_cached_modules()
    route_from_cached_modules()  # idempotent
    routed = [list(backends.list_of_moto_modules()) for _ in range(50)]
    assert "dynamodb" in expected and "sqs" in expected
    assert all(modules == expected for modules in routed)
    assert len(listings) <= 1


def test_an_error_response_names_its_service_once_per_name(monkeypatch):
    """Each error moto's server answered (a 404, a refused conditional write) ran moto's
    service_name_from_moto_package_name, which builds a botocore Session and lists every service
    model; after the fix it runs once per package name."""
    from moto.core import utils

    from synd.local.moto_fixes import name_services_once

    moto_own = getattr(utils.service_name_from_moto_package_name, "__wrapped__",
                       utils.service_name_from_moto_package_name)  # conftest applied the fix already
    runs = []

    def counting(package):
        runs.append(package)
        return moto_own(package)

    monkeypatch.setattr(utils, "service_name_from_moto_package_name", counting)
    packages = ("dynamodb", "s3", "ssoadmin")
    for _ in range(5):
        utils.service_name_from_moto_package_name("s3")
    assert len(runs) == 5  # the defect: moto's lookup, Session and all, for every error response
    runs.clear()
    name_services_once()
    name_services_once()  # idempotent
    for _ in range(20):
        assert [utils.service_name_from_moto_package_name(p) for p in packages] == ["dynamodb", "s3", "sso-admin"]
    assert sorted(runs) == sorted(packages)  # once per name


def _table_with(ddb, count: int) -> None:
    ddb.create_table(TableName="big", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "S"}])
    for n in range(count):
        ddb.put_item(TableName="big", Item={"pk": {"S": f"seed{n}"}, "sk": {"S": "V"}, "text": {"S": "x" * 100}})


def _put(pk: str, text: str, condition: str | None = None) -> dict:
    put = {"TableName": "big", "Item": {"pk": {"S": pk}, "sk": {"S": "V"}, "text": {"S": text}}}
    return {"Put": {**put, **({"ConditionExpression": condition} if condition else {})}}


def test_a_transaction_copies_the_items_it_writes_not_the_tables_it_names(monkeypatch, aws_env):
    """moto deep-copied every table a transaction named (its rollback copy): a transaction cost time in
    proportion to the table. After the fix no table is copied."""
    import copy as copy_module

    from moto.dynamodb import models
    from moto.dynamodb.models.table import Table

    from synd.local.moto_fixes import roll_back_items_not_tables

    copies = []
    monkeypatch.setattr(Table, "__deepcopy__", lambda self, memo: copies.append(self.name) or self, raising=False)
    monkeypatch.setattr(models, "copy", copy_module)  # moto as it ships (conftest applied the fix already)
    fixed = models.DynamoDBBackend.transact_write_items
    monkeypatch.setattr(models.DynamoDBBackend, "transact_write_items", getattr(fixed, "__wrapped__", fixed))
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name="us-east-1")
        _table_with(ddb, 50)
        ddb.transact_write_items(TransactItems=[_put("a", "1"), _put("b", "1")])
        assert copies == ["big", "big"]  # the defect: the whole table, once per item naming it
        copies.clear()
        roll_back_items_not_tables()
        roll_back_items_not_tables()  # idempotent
        ddb.transact_write_items(TransactItems=[_put("c", "1"), _put("d", "1")])
        assert copies == []
        assert ddb.get_item(TableName="big", Key={"pk": {"S": "d"}, "sk": {"S": "V"}})["Item"]["text"]["S"] == "1"


def test_a_cancelled_transaction_leaves_every_item_as_it_was(aws_env):
    """The fix's own rollback: a new item is gone again, a replaced or updated one is back, others untouched."""
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name="us-east-1")
        _table_with(ddb, 3)
        ddb.put_item(TableName="big", Item={"pk": {"S": "old"}, "sk": {"S": "V"}, "text": {"S": "before"}})
        update = {"Update": {"TableName": "big", "Key": {"pk": {"S": "seed1"}, "sk": {"S": "V"}},
                             "UpdateExpression": "SET #t = :t", "ExpressionAttributeNames": {"#t": "text"},
                             "ExpressionAttributeValues": {":t": {"S": "changed"}}}}
        try:
            ddb.transact_write_items(TransactItems=[
                _put("new", "1"), _put("old", "after"), update,
                _put("seed2", "never", condition="attribute_not_exists(pk)")])  # refused: seed2 exists
        except ddb.exceptions.TransactionCanceledException as exc:
            reasons = [r["Code"] for r in exc.response["CancellationReasons"]]
        else:
            raise AssertionError("the transaction should have been cancelled")
        assert reasons == ["None", "None", "None", "ConditionalCheckFailed"]

        def text(pk):
            item = ddb.get_item(TableName="big", Key={"pk": {"S": pk}, "sk": {"S": "V"}}).get("Item")
            return item["text"]["S"] if item else None

        assert [text(pk) for pk in ("new", "old", "seed1", "seed2", "seed0")] == [None, "before", "x" * 100,
                                                                                  "x" * 100, "x" * 100]


def _partitioned_table(ddb) -> None:
    ddb.create_table(TableName="parts", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "S"},
                                           {"AttributeName": "state", "AttributeType": "S"}],
                     GlobalSecondaryIndexes=[{"IndexName": "byState",
                                              "KeySchema": [{"AttributeName": "state", "KeyType": "HASH"},
                                                            {"AttributeName": "sk", "KeyType": "RANGE"}],
                                              "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    ddb.create_table(TableName="single", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    for n in range(400):
        item = {"pk": {"S": f"ARTICLE#{n}"}, "sk": {"S": "V"}}
        ddb.put_item(TableName="parts", Item=item | ({"state": {"S": "failed"}} if n % 50 == 0 else {}))
        ddb.put_item(TableName="single", Item={"pk": {"S": f"k{n}"}, "n": {"N": str(n)}})
    for n in range(12):
        ddb.put_item(TableName="parts", Item={"pk": {"S": "RENDER#fa"}, "sk": {"S": f"entry#{n:02}"},
                                              "n": {"N": str(n)}})


def _queries(ddb) -> list:
    """Base-table Queries of every shape the pipeline uses, and the index Query it keeps as it was."""
    render = {"TableName": "parts", "KeyConditionExpression": "pk = :p",
              "ExpressionAttributeValues": {":p": {"S": "RENDER#fa"}}}
    answers = [ddb.query(**render)["Items"],
               ddb.query(**render, ScanIndexForward=False, Limit=5)["Items"],
               [item for page in ddb.get_paginator("query").paginate(**render, PaginationConfig={"PageSize": 5})
                for item in page["Items"]],
               ddb.query(TableName="parts", KeyConditionExpression="pk = :p AND begins_with(sk, :s)",
                         FilterExpression="n > :n", ProjectionExpression="sk",
                         ExpressionAttributeValues={":p": {"S": "RENDER#fa"}, ":s": {"S": "entry#0"},
                                                    ":n": {"N": "4"}})["Items"],
               ddb.query(TableName="parts", KeyConditionExpression="pk = :p",
                         ExpressionAttributeValues={":p": {"S": "ARTICLE#7"}})["Items"],
               ddb.query(TableName="parts", KeyConditionExpression="pk = :p",
                         ExpressionAttributeValues={":p": {"S": "RENDER#none"}})["Items"],
               ddb.query(TableName="single", KeyConditionExpression="pk = :p",
                         ExpressionAttributeValues={":p": {"S": "k42"}})["Items"],
               ddb.query(TableName="parts", IndexName="byState", KeyConditionExpression="#s = :s",
                         ExpressionAttributeNames={"#s": "state"},
                         ExpressionAttributeValues={":s": {"S": "failed"}})["Items"]]
    assert [len(a) for a in answers] == [12, 5, 12, 5, 1, 0, 1, 8]
    return answers


def test_a_table_query_reads_its_partition_not_the_whole_table(monkeypatch, aws_env):
    """moto's Query of the table sorted every item of the table to keep one partition's: in the
    2,000-drop bench each render-state Query took about 1.7 s. After the fix a base-table Query is
    handed its partition only, and every answer is the one moto gave before."""
    from moto.dynamodb.models.table import Table

    from synd.local.moto_fixes import query_partitions_not_tables

    for name in ("query", "all_items"):  # moto as it ships (conftest applied the fix already)
        method = getattr(Table, name)
        monkeypatch.setattr(Table, name, getattr(method, "__wrapped__", method))

    def count_items_read() -> list[int]:
        read: list[int] = []
        all_items = Table.all_items
        monkeypatch.setattr(Table, "all_items", lambda self: read.append(len(items := all_items(self))) or items)
        return read

    with mock_aws():
        ddb = boto3.client("dynamodb", region_name="us-east-1")
        _partitioned_table(ddb)
        read = count_items_read()
        as_shipped = _queries(ddb)
        assert read[:2] == [412, 412]  # the defect: every item of the table, for a partition of 12
        query_partitions_not_tables()
        query_partitions_not_tables()  # idempotent
        read = count_items_read()
        assert _queries(ddb) == as_shipped
        base_table_reads, index_reads = read[:-1], read[-1:]
        assert max(base_table_reads) == 12  # the partition, not the table
        assert index_reads == [412]  # an index Query still looks at every item, as it must
        assert sum(page["Count"] for page in ddb.get_paginator("scan").paginate(TableName="parts")) == 412
