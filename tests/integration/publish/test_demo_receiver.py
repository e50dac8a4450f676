import json
import threading

from tests.unit.publish.publish_samples import make_record, target
from synd.ninjs import to_ninjs
from synd.publish.receiver import make_server
from synd.targets import Delivery, deliver

from tests.integration.publish.publish_stack import SECRET


def test_demo_receiver_accepts_signed_posts_once_and_refuses_bad_signatures(stack, tmp_path):
    server = make_server("127.0.0.1", 0, SECRET, tmp_path / "hooks")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hooks/partner"
    try:
        record = make_record("fa")
        d = Delivery(record=record, ninjs=to_ninjs(record), target=target("hook", "webhook", url=url), action="deliver")
        assert deliver(d, stack.env).state == "delivered"
        assert deliver(d, stack.env).state == "delivered"  # a duplicate is accepted, not stored twice
        (saved,) = list((tmp_path / "hooks").iterdir())
        assert json.loads(saved.read_text(encoding="utf-8"))["uri"].endswith(record["id"])
        wrong = Delivery(record=record, ninjs=to_ninjs(record), target=target("bad-hook", "webhook", url=url),
                         action="deliver")
        import boto3

        boto3.client("secretsmanager", region_name="us-east-1").put_secret_value(
            SecretId=stack.secret_arn, SecretString=json.dumps({"bad-hook": "another-secret"}))
        from synd.targets.webhook import clear_secret_cache

        clear_secret_cache()
        refused = deliver(wrong, stack.env)
        assert refused.state == "failed" and refused.status == 401
    finally:
        server.shutdown()
        server.server_close()
