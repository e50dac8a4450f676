import json

from synd.aws.deliveries import DeliveryStore
from synd.cli import build_parser
from synd.commands import deliveries, redrive


def cli(*argv):
    args = build_parser([deliveries, redrive]).parse_args(list(argv))
    return args._run(args)


def seed(store):
    for article, target, state in [("a1", "site", "delivered"), ("a1", "hook", "failed"), ("a2", "hook", "failed"),
                                   ("a3", "site", "retrying")]:
        store.claim(article, target, 1, partner="afgazad", language="fa")
        store.finish(article, target, 1, state, last_error="HTTP 400: no" if state == "failed" else None)


def test_deliveries_lists_by_state_and_target(stack, capsys):
    seed(DeliveryStore(stack.table))
    assert cli("deliveries", "--table", stack.table, "--state", "failed", "--json") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted((r["article_id"], r["target"]) for r in rows) == [("a1", "hook"), ("a2", "hook")]
    assert all(r["last_error"] == "HTTP 400: no" for r in rows)
    assert cli("deliveries", "--table", stack.table, "--target", "site") == 0
    table = capsys.readouterr().out
    assert "delivered" in table and "retrying" in table and "hook" not in table


def test_deliveries_needs_a_table(stack, capsys, monkeypatch):
    monkeypatch.delenv("TABLE_NAME", raising=False)
    assert cli("deliveries") == 2


def test_redrive_resends_failed_deliveries_and_resumes_the_target(stack, capsys):
    store = DeliveryStore(stack.table)
    seed(store)
    for _ in range(5):
        store.note_failure("hook", "HTTP 503", pause_after=5)
    assert cli("redrive", "--table", stack.table, "--publish-queue-url", stack.publish_queue, "--skip-dlq") == 0
    assert "re-driven article versions: 2" in capsys.readouterr().out
    messages = stack.sqs.receive_message(QueueUrl=stack.publish_queue, MaxNumberOfMessages=10)["Messages"]
    bodies = sorted((json.loads(m["Body"]) for m in messages), key=lambda b: b["article_id"])
    assert [(b["article_id"], b["redrive"], b["record_key"]) for b in bodies] == [
        ("a1", ["hook"], "articles/a1/v1.json"), ("a2", ["hook"], "articles/a2/v1.json")]
    assert store.paused_targets() == []


def test_redrive_moves_dead_letters_back(stack, capsys):
    for n in range(3):
        stack.sqs.send_message(QueueUrl=stack.publish_dlq, MessageBody=json.dumps({"n": n}))
    assert cli("redrive", "--skip-deliveries") == 0
    assert "moved 3 message(s)" in capsys.readouterr().out
    moved = stack.sqs.receive_message(QueueUrl=stack.publish_queue, MaxNumberOfMessages=10)["Messages"]
    assert sorted(json.loads(m["Body"])["n"] for m in moved) == [0, 1, 2]
    left = stack.sqs.get_queue_attributes(QueueUrl=stack.publish_dlq, AttributeNames=["ApproximateNumberOfMessages"])
    assert left["Attributes"]["ApproximateNumberOfMessages"] == "0"
