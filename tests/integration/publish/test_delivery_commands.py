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
        claim = store.claim(article, target, 1, partner="afgazad", language="fa")
        store.finish(article, target, 1, state, token=claim.token,
                     last_error="HTTP 400: no" if state == "failed" else None)


def test_deliveries_lists_by_state_and_target(stack, capsys):
    seed(DeliveryStore(stack.table))
    assert cli("deliveries", "--table", stack.table, "--state", "failed", "--json") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted((r["article_id"], r["target"]) for r in rows) == [("a1", "hook"), ("a2", "hook")]
    assert all(r["last_error"] == "HTTP 400: no" for r in rows)
    assert cli("deliveries", "--table", stack.table, "--target", "site") == 0
    table = capsys.readouterr().out
    assert "retrying" in table and "delivered" not in table and "hook" not in table  # delivered: not indexed


def test_deliveries_needs_a_table(stack, capsys, monkeypatch):
    monkeypatch.delenv("TABLE_NAME", raising=False)
    assert cli("deliveries") == 2


def test_redrive_resends_every_non_final_delivery_and_resumes_the_target(stack, capsys):
    """Issue 9.3: redrive looked at `failed` only; retrying and stranded pending records stayed stuck."""
    store = DeliveryStore(stack.table)
    seed(store)
    store.claim("a4", "hook", 1, partner="afgazad", language="fa", lease_seconds=-1)  # its worker died
    store.claim("a5", "hook", 1, partner="afgazad", language="fa")  # being delivered right now: left alone
    for _ in range(5):
        store.note_failure("hook", "HTTP 503", pause_after=5)
    assert cli("redrive", "--table", stack.table, "--publish-queue-url", stack.publish_queue, "--skip-dlq") == 0
    out = capsys.readouterr().out
    assert "re-driven article versions: 4 (2 failed, 1 retrying, 1 pending past their lease; " \
           "1 pending under a live lease left alone)" in out
    messages = stack.sqs.receive_message(QueueUrl=stack.publish_queue, MaxNumberOfMessages=10)["Messages"]
    bodies = sorted((json.loads(m["Body"]) for m in messages), key=lambda b: b["article_id"])
    assert [(b["article_id"], b["redrive"], b["ninjs_key"]) for b in bodies] == [
        ("a1", ["hook"], "ninjs/a1/v1.json"), ("a2", ["hook"], "ninjs/a2/v1.json"),
        ("a3", ["site"], "ninjs/a3/v1.json"), ("a4", ["hook"], "ninjs/a4/v1.json")]
    assert store.paused_targets() == []


def test_redrive_json_counts(stack, capsys):
    seed(DeliveryStore(stack.table))
    assert cli("redrive", "--table", stack.table, "--publish-queue-url", stack.publish_queue, "--skip-dlq",
               "--dry-run", "--json") == 0
    report = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert report == {"deliveries": {"messages": 3, "failed": 2, "retrying": 1, "pending_expired": 0,
                                     "pending_live": 0}}


def test_redrive_moves_dead_letters_back_when_the_move_task_fails(stack, capsys, monkeypatch):
    """Issue 9.3: moto's server answers start_message_move_task with HTTP 500 and redrive crashed on it."""
    from botocore.exceptions import ClientError

    from synd.aws import client

    def http_500(**_):
        raise ClientError({"Error": {"Code": "500", "Message": "<!doctype html>..."}}, "StartMessageMoveTask")

    monkeypatch.setattr(client("sqs"), "start_message_move_task", http_500)
    for n in range(2):
        stack.sqs.send_message(QueueUrl=stack.publish_dlq, MessageBody=json.dumps({"n": n}))
    assert cli("redrive", "--skip-deliveries") == 0
    assert "moved 2 message(s)" in capsys.readouterr().out


def test_redrive_moves_dead_letters_back(stack, capsys):
    for n in range(3):
        stack.sqs.send_message(QueueUrl=stack.publish_dlq, MessageBody=json.dumps({"n": n}))
    assert cli("redrive", "--skip-deliveries") == 0
    assert "moved 3 message(s)" in capsys.readouterr().out
    moved = stack.sqs.receive_message(QueueUrl=stack.publish_queue, MaxNumberOfMessages=10)["Messages"]
    assert sorted(json.loads(m["Body"])["n"] for m in moved) == [0, 1, 2]
    left = stack.sqs.get_queue_attributes(QueueUrl=stack.publish_dlq, AttributeNames=["ApproximateNumberOfMessages"])
    assert left["Attributes"]["ApproximateNumberOfMessages"] == "0"


def test_redrive_moves_a_fifo_dead_letter_queue_back_with_its_message_groups(stack, capsys):
    """Render requests that failed MaxReceiveCount times sit in the FIFO RenderDLQ; redrive sent them back
    without a MessageGroupId (FIFO needs one) and stopped with exit 4. Each goes back in its language's group,
    under a new deduplication id (the old one may still be inside SQS's five-minute window)."""
    render_dlq = stack.sqs.get_queue_url(QueueName=json.loads(stack.sqs.get_queue_attributes(
        QueueUrl=stack.render_queue, AttributeNames=["RedrivePolicy"])["Attributes"]["RedrivePolicy"])
        ["deadLetterTargetArn"].rsplit(":", 1)[-1])["QueueUrl"]
    for language in ("fa", "en"):
        body = json.dumps({"type": "site.render", "language": language})
        stack.sqs.send_message(QueueUrl=stack.render_queue, MessageBody=body, MessageGroupId=language,
                               MessageDeduplicationId=f"{language}-2026-12-1")
        stack.sqs.send_message(QueueUrl=render_dlq, MessageBody=body, MessageGroupId=language,
                               MessageDeduplicationId=f"{language}-2026-12-1")
    for message in stack.sqs.receive_message(QueueUrl=stack.render_queue, MaxNumberOfMessages=10)["Messages"]:
        stack.sqs.delete_message(QueueUrl=stack.render_queue, ReceiptHandle=message["ReceiptHandle"])
    assert cli("redrive", "--skip-deliveries", "--dlq", render_dlq) == 0
    assert "moved 2 message(s)" in capsys.readouterr().out
    back = stack.sqs.receive_message(QueueUrl=stack.render_queue, MaxNumberOfMessages=10,
                                     AttributeNames=["MessageGroupId"])["Messages"]
    assert sorted((m["Attributes"]["MessageGroupId"], json.loads(m["Body"])["language"]) for m in back) == [
        ("en", "en"), ("fa", "fa")]
