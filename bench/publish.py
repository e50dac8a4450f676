"""Per-article publish time per target kind, on moto (no network but a local webhook receiver).

    .venv/bin/python bench/publish.py [--articles N] [--local-stack]

By default moto runs in-process; `--local-stack` runs it as the local stack does,
in server mode on 127.0.0.1 with the resources made from template.yaml, so
every call crosses HTTP as it does against AWS.

Prints, per target kind, the time of `synd.targets.deliver` for one article
(median, p95, max in milliseconds) and the time of the whole publish of one
article version to every target through `publish_message` (with its DynamoDB
delivery records and the real licence policy). moto is far slower than AWS for
S3 and DynamoDB calls, so these figures are an upper bound on the code's own cost.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")  # figures only, no EMF lines
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test helpers: tests.unit.publish, tests.integration.publish

from tests.unit.publish.publish_samples import CC_BY, Receiver, make_record, target  # noqa: E402
from tests.integration.publish.publish_stack import SECRET, Stack, mocked_stack  # noqa: E402

from synd.ninjs import to_ninjs  # noqa: E402
from synd.policy import decide  # noqa: E402
from synd.publish.publisher import publish_message  # noqa: E402
from synd.settings import PartnerSettings  # noqa: E402
from synd.targets import Delivery, deliver  # noqa: E402

LANGS = ("fa", "en", "ps", "ar", "de")


@contextlib.contextmanager
def served_stack():
    """moto in server mode on 127.0.0.1, as `synd run` starts it; every boto3 client follows AWS_ENDPOINT_URL."""
    from moto.server import ThreadedMotoServer

    from synd.aws import reset_clients
    from synd.local.runner import FAKE_CREDENTIALS, free_port
    from synd.targets.webhook import clear_secret_cache

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    os.environ.update({**FAKE_CREDENTIALS, "AWS_ENDPOINT_URL": f"http://{host}:{port}"})
    reset_clients()
    clear_secret_cache()
    try:
        yield Stack()
    finally:
        server.stop()


def summary(name: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return f"{name:<26} n={len(ms):<4} median={statistics.median(ms):7.1f} ms  p95={p95:7.1f} ms  max={ms[-1]:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--local-stack", action="store_true", help="moto in server mode, as the local stack runs it")
    args = parser.parse_args()
    records = [make_record(LANGS[n % len(LANGS)], salt=f" [{n}]", license=CC_BY) for n in range(args.articles)]
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with (served_stack() if args.local_stack else mocked_stack()) as stack, Receiver(SECRET) as receiver:
        kinds = {"site": target("site", "site", feed_size=50), "webhook": target("hook", "webhook", url=receiver.url),
                 "sns": target("sns", "sns"), "eventbridge": target("eventbridge", "eventbridge")}
        partner = PartnerSettings(id="afgazad")
        mode = "server mode on 127.0.0.1 (the local stack)" if args.local_stack else "in-process"
        print(f"{args.articles} articles in {len(LANGS)} languages; moto {__import__('moto').__version__}, {mode}")
        for kind, settings in kinds.items():
            times = []
            for record in records:
                d = decide(record, settings, partner)
                delivery = Delivery(record=record, ninjs=to_ninjs(record), target=settings, action=d.action,
                                    attribution=d.attribution)
                start = time.perf_counter()
                outcome = deliver(delivery, stack.env)
                times.append(time.perf_counter() - start)
                assert outcome.state == "delivered", outcome
            print(summary(f"target {kind}", times))
        times = []
        for record in records:
            message = stack.put_version(dict(record, version=2))
            start = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):  # Powertools prints EMF when its buffer fills
                publish_message(message, stack.config, decide=decide, targets=list(kinds.values()))
            times.append(time.perf_counter() - start)
        print(summary("publish_message (4 targets)", times))


if __name__ == "__main__":
    main()
