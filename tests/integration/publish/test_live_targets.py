"""The publish function reads the live target settings: a target paused with `synd targets set` gets
nothing from the next message, with no deploy."""
import json

from synd import cli, settings
from synd.aws.config_store import ConfigStore, seed
from synd.aws.deliveries import DeliveryStore

from tests.integration.publish.publish_stack import SECRET, LambdaContext, receive_as_event
from tests.unit.publish.publish_samples import CC_BY, Receiver, make_record


def publish(stack, app, record):
    stack.sqs.send_message(QueueUrl=stack.publish_queue, MessageBody=json.dumps(stack.put_version(record)))
    return app.lambda_handler(receive_as_event(stack.sqs, stack.publish_queue), LambdaContext("PublishFunction"))


def test_a_target_paused_live_gets_nothing_from_the_next_message(stack, handler, monkeypatch):
    monkeypatch.setenv("SYND_CONFIG_TABLE", stack.table)
    monkeypatch.setenv("SYND_CONFIG_MAX_AGE", "0")
    with Receiver(SECRET) as receiver:
        app = handler.configure(receiver.url + "/in")
        seed(ConfigStore(stack.table), "targets", settings.config_dir() / "targets.yaml", by="deploy")
        first = make_record("fa", license=CC_BY)
        assert publish(stack, app, first) == {"batchItemFailures": []}
        assert cli.main(["targets", "set", "aggregator", "enabled", "false", "--reason", "aggregator paused",
                         "--table", stack.table]) == 0
        second = make_record("ps", license=CC_BY)
        assert publish(stack, app, second) == {"batchItemFailures": []}
    deliveries = DeliveryStore(stack.table)
    assert "aggregator" in {r["target"] for r in deliveries.of_article(first["id"])}
    assert "aggregator" not in {r["target"] for r in deliveries.of_article(second["id"])}
    assert {r["target"] for r in deliveries.of_article(second["id"])} >= {"site", "hook"}
