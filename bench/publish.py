"""Per-stage durations and AWS calls: ingest per drop, publish per article, per target (issue 11.4).

    .venv/bin/python bench/publish.py [--articles 40] [--aws-latency-scale 1.0] [--webhook-ms 100]
                                      [--parallel 1 8] [--local-stack]

By default moto runs in-process; `--local-stack` runs it as the local stack does, in server mode on
127.0.0.1 with the resources made from template.yaml, so every call crosses HTTP.

moto answers in microseconds to milliseconds, AWS in milliseconds over the network, and that wait is
most of a publish. So every AWS call made while a stage runs waits a typical in-region round trip
first (bench/scale.py's LATENCY_MS: S3 25 ms, DynamoDB 6 ms, SQS 10 ms, SNS and EventBridge 15 ms,
Secrets Manager 15 ms; times --aws-latency-scale, 0 = off), and a webhook's POST waits --webhook-ms
(a partner's endpoint). These are assumptions of the bench, not measurements of AWS; the calls are
counted exactly (a botocore `before-call` hook on every client: in-process moto answers in
`before-send`, so the wait sits before it).

Printed:
- ingest per drop (`synd.ingest.ingest_object` on Markdown drops of bench/scale.py in six languages):
  time, AWS calls by operation, and the modelled AWS wait in it;
- per target kind, one `synd.targets.deliver` per article: time and calls;
- publish per article version with the four targets (`publish_message`: licence policy, claims,
  outcomes, health), for each --parallel (1 = one target after the other, as before issue 11.4;
  8 = the default, one thread per target): time, calls, and the speed-up.
Each also as an estimate of its time in AWS: the code's own time (wall time less in-process moto's
answers, timed around its BotocoreStubber, and less the modelled waits) plus the modelled waits on
the longest path (the calling thread's, plus the longest of the target threads'). The code's own
time is this machine's CPU; a 1,024 MB Lambda has about 0.58 of a vCPU (1,769 MB = one), which
docs/scale.md allows for when it sizes the functions.
The last line is one JSON object with the medians (ms), the sizing inputs of docs/scale.md.
Two shared cores and moto make the code's own part noisy (an upper bound); counts are exact.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import logging
import os
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test helpers (tests.unit.publish, tests.integration.publish) and bench.scale

LANGS = ("fa", "en", "ps", "ar", "de")


class LatencyMeter:
    """Counts the AWS calls of every boto3 client made after `install()` while `on`, and makes each wait
    its service's round trip (`LATENCY_MS` × scale) first. Not per thread: the publisher's target
    threads are counted with the stage that started them."""

    def __init__(self, latency_ms: dict[str, float], scale: float):
        self.latency_ms, self.scale = latency_ms, scale
        self.calls: Counter = Counter()  # (service, operation) -> calls
        self.waited = 0.0  # seconds of modelled AWS round trips, summed over calls (serial)
        self.by_thread: Counter = Counter()  # thread ident -> seconds waited (modelled AWS + webhook)
        self.moto = 0.0  # seconds in-process moto spent answering (not AWS's: left out of the estimates)
        self.on = False
        self._lock = threading.Lock()
        self._original = None

    def install(self) -> "LatencyMeter":
        import boto3

        from synd.aws import reset_clients

        self._original = original = boto3.session.Session.client
        meter = self

        @functools.wraps(original)
        def client(session, *args, **kwargs):
            made = original(session, *args, **kwargs)
            made.meta.events.register("before-call.*.*", meter._before_call, unique_id="synd-bench-latency")
            return made

        boto3.session.Session.client = client
        reset_clients()
        self._time_moto()
        return self

    def _time_moto(self) -> None:
        """In-process moto answers in botocore's before-send (its BotocoreStubber): time each answer."""
        from moto.core.botocore_stubber import BotocoreStubber

        original, meter = BotocoreStubber.__call__, self
        self._stubber = original

        @functools.wraps(original)
        def timed(stubber, *args, **kwargs):
            started = time.perf_counter()
            try:
                return original(stubber, *args, **kwargs)
            finally:
                if meter.on:
                    with meter._lock:
                        meter.moto += time.perf_counter() - started

        BotocoreStubber.__call__ = timed

    def uninstall(self) -> None:
        import boto3

        from synd.aws import reset_clients

        if self._original is not None:
            boto3.session.Session.client = self._original
        if getattr(self, "_stubber", None) is not None:
            from moto.core.botocore_stubber import BotocoreStubber

            BotocoreStubber.__call__ = self._stubber
        reset_clients()

    def _before_call(self, model, **_) -> None:
        if not self.on:
            return
        service = model.service_model.endpoint_prefix
        wait = self.latency_ms.get(service, 10.0) * self.scale / 1000
        with self._lock:
            self.calls[(service, model.name)] += 1
            self.waited += wait
        self.wait(wait)

    def wait(self, seconds: float) -> None:
        """Wait as a call to AWS or a partner would, on the waiting thread's account."""
        with self._lock:
            self.by_thread[threading.get_ident()] += seconds
        time.sleep(seconds)

    def critical_wait(self) -> float:
        """The waits on the longest path: the calling thread's, plus the longest of the threads it started."""
        main = self.by_thread.get(threading.get_ident(), 0.0)
        others = [s for ident, s in self.by_thread.items() if ident != threading.get_ident()]
        return main + max(others, default=0.0)

    @contextlib.contextmanager
    def stage(self):
        """Count and delay the calls of one stage; yields a dict filled with its calls and wait."""
        calls, waited, moto = Counter(self.calls), self.waited, self.moto
        found: dict = {}
        self.on = True
        try:
            yield found
        finally:
            self.on = False
            found["calls"] = self.calls - calls
            found["waited"] = self.waited - waited
            found["moto"] = self.moto - moto


@contextlib.contextmanager
def served_stack():
    """moto in server mode on 127.0.0.1, as `synd run` starts it; every boto3 client follows AWS_ENDPOINT_URL."""
    from moto.server import ThreadedMotoServer

    from synd.aws import reset_clients
    from synd.local.runner import FAKE_CREDENTIALS, free_port
    from synd.targets.webhook import clear_secret_cache
    from tests.integration.publish.publish_stack import Stack

    from synd.local import moto_fixes

    moto_fixes.apply()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    saved = {name: os.environ.get(name) for name in (*FAKE_CREDENTIALS, "AWS_ENDPOINT_URL")}
    os.environ.update({**FAKE_CREDENTIALS, "AWS_ENDPOINT_URL": f"http://{host}:{port}"})
    reset_clients()
    clear_secret_cache()
    try:
        yield Stack()
    finally:
        server.stop()
        for name, value in saved.items():
            os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)
        reset_clients()


@contextlib.contextmanager
def keeping_resources():
    """The resources the test Stack provisions (it keeps only some names): a list filled when it is made."""
    from tests.integration.publish import publish_stack

    original, made = publish_stack.provision, []

    def provision(*args, **kwargs):
        made.append(original(*args, **kwargs))
        return made[-1]

    publish_stack.provision = provision
    try:
        yield made
    finally:
        publish_stack.provision = original


@contextlib.contextmanager
def slow_webhooks(milliseconds: float, meter: LatencyMeter):
    """A partner's endpoint takes `milliseconds` to answer (the local receiver answers at once)."""
    from synd.targets import webhook

    original = webhook.post

    def post(*args, **kwargs):
        meter.wait(milliseconds / 1000)
        return original(*args, **kwargs)

    webhook.post = post
    try:
        yield
    finally:
        webhook.post = original


def summary(name: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return f"{name:<30} n={len(ms):<4} median={statistics.median(ms):7.1f} ms  p95={p95:7.1f} ms  max={ms[-1]:7.1f} ms"


def per_item(calls: Counter, items: int) -> str:
    by_operation = sorted(calls.items(), key=lambda kv: (kv[0][0], -kv[1]))
    return ", ".join(f"{service} {operation} {n / items:.2f}" for (service, operation), n in by_operation)


@contextlib.contextmanager
def function_environment(stack, resources):
    """What the publish function's environment adds to the Stack's names: the table for the site's feed
    entries and, when the template has the renderer's queue, RENDER_QUEUE_URL (the site target then
    sends a render request, as in AWS, instead of rendering the language in process)."""
    names = {"TABLE_NAME": stack.table}
    if "RenderQueue" in resources.ids_of_type("AWS::SQS::Queue"):
        names["RENDER_QUEUE_URL"] = resources.url("RenderQueue")
    saved = {name: os.environ.get(name) for name in names}
    os.environ.update(names)
    try:
        yield sorted(names)
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)


def measure_ingest(stack, resources, meter: LatencyMeter, count: int) -> tuple[list[float], dict]:
    """Each drop uploaded to the raw bucket, then `ingest_object` on it (the handler's per-drop work)."""
    from bench.scale import article_drops
    from synd.aws.s3_events import ObjectRef
    from synd.ingest import IngestConfig, ingest_object

    raw = resources.name("RawBucket")
    config = IngestConfig(table=stack.table, processed_bucket=stack.processed, publish_queue_url=stack.publish_queue)
    times = []
    with meter.stage() as found:
        for key, body in article_drops(count):
            meter.on = False  # the upload is the partner's, not ingest's
            stack.s3.put_object(Bucket=raw, Key=key, Body=body)
            meter.on = True
            started = time.perf_counter()
            outcome = ingest_object(ObjectRef(bucket=raw, key=key, size=len(body)), config)
            times.append(time.perf_counter() - started)
            assert outcome.state == "ingested", outcome
    return times, found


def measure_targets(stack, meter: LatencyMeter, records: list[dict], kinds: dict) -> dict[str, tuple[list, dict]]:
    from synd.ninjs import to_ninjs
    from synd.policy import decide
    from synd.settings import PartnerSettings
    from synd.targets import Delivery, deliver

    partner, measured = PartnerSettings(id="afgazad"), {}
    for kind, settings in kinds.items():
        times = []
        with meter.stage() as found:
            for record in records:
                d = decide(record, settings, partner)
                delivery = Delivery(record=record, ninjs=to_ninjs(record), target=settings, action=d.action,
                                    attribution=d.attribution)
                started = time.perf_counter()
                outcome = deliver(delivery, stack.env)
                times.append(time.perf_counter() - started)
                assert outcome.state == "delivered", outcome
        measured[kind] = (times, found)
    return measured


def measure_publish(stack, meter: LatencyMeter, records: list[dict], kinds: dict, parallel: int,
                    version: int) -> tuple[list[float], dict]:
    from synd.policy import decide
    from synd.publish.publisher import PublishConfig, publish_message

    config = PublishConfig(table=stack.table, env=stack.env, parallel_targets=parallel)
    times, critical = [], []
    with meter.stage() as found:
        for record in records:
            meter.on = False
            message = stack.put_version(dict(record, version=version))
            meter.on = True
            meter.by_thread.clear()
            started = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):  # Powertools prints EMF when its buffer fills
                results = publish_message(message, config, decide=decide, targets=list(kinds.values()))
            times.append(time.perf_counter() - started)
            critical.append(meter.critical_wait())
            assert {r.state for r in results} == {"delivered"}, results
    found["critical"] = statistics.mean(critical)
    return times, found


def estimate(times: list[float], found: dict, waits: float) -> tuple[float, float]:
    """(own seconds, seconds in AWS) per item, means: the code's own time is the wall time less moto's
    answers and the modelled waits on the longest path; in AWS the same code waits those waits.
    With threads, moto's answers hold the GIL and the others' timed answers include that wait, so the
    split does not hold: the publish with parallel targets takes the own time of the serial run."""
    wall = statistics.mean(times)
    own = max(0.0, wall - found["moto"] / len(times) - waits)
    return own, own + waits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--aws-latency-scale", type=float, default=1.0)
    parser.add_argument("--webhook-ms", type=float, default=100.0, help="a partner endpoint's answer time")
    parser.add_argument("--parallel", type=int, nargs="+", default=[1, 8], help="parallel_targets to compare")
    parser.add_argument("--local-stack", action="store_true", help="moto in server mode, as the local stack runs it")
    args = parser.parse_args(argv)
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")  # figures only, no EMF lines
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    from bench.scale import LATENCY_MS
    from tests.integration.publish.publish_stack import SECRET, mocked_stack
    from tests.unit.publish.publish_samples import CC_BY, Receiver, make_record, target

    records = [make_record(LANGS[n % len(LANGS)], salt=f" [{n}]", license=CC_BY) for n in range(args.articles)]
    meter = LatencyMeter(LATENCY_MS, args.aws_latency_scale)
    with keeping_resources() as made, (served_stack() if args.local_stack else mocked_stack()) as stack, \
            Receiver(SECRET) as receiver, slow_webhooks(args.webhook_ms, meter):
        (resources,) = made
        environment = function_environment(stack, resources)
        print(f"function environment: {', '.join(environment.__enter__())}")
        meter.install()
        try:
            kinds = {"site": target("site", "site", feed_size=50),
                     "webhook": target("hook", "webhook", url=receiver.url),
                     "sns": target("sns", "sns"), "eventbridge": target("eventbridge", "eventbridge")}
            mode = "server mode on 127.0.0.1 (the local stack)" if args.local_stack else "in-process"
            print(f"moto {__import__('moto').__version__}, {mode}; AWS round trips: "
                  + ", ".join(f"{s} {ms * args.aws_latency_scale:g} ms" for s, ms in LATENCY_MS.items())
                  + f"; webhook {args.webhook_ms:g} ms (assumed)")
            figures: dict[str, float] = {}

            times, found = measure_ingest(stack, resources, meter, args.articles)
            print(f"\ningest: {args.articles} drops, one article each")
            print(summary("ingest per drop", times))
            print(f"  calls per drop: {per_item(found['calls'], len(times))}")
            own, in_aws = estimate(times, found, found["waited"] / len(times))
            print(f"  mean: moto {found['moto'] / len(times) * 1000:.0f} ms, own code {own * 1000:.0f} ms, "
                  f"AWS waits {found['waited'] / len(times) * 1000:.0f} ms -> in AWS about {in_aws * 1000:.0f} ms")
            figures["ingest_per_drop_ms"] = round(in_aws * 1000, 1)

            print(f"\ntargets: {args.articles} articles in {len(LANGS)} languages, one deliver() each")
            for kind, (times, found) in measure_targets(stack, meter, records, kinds).items():
                waits = found["waited"] / len(times) + (args.webhook_ms / 1000 if kind == "webhook" else 0.0)
                own, in_aws = estimate(times, found, waits)
                print(summary(f"target {kind}", times) + f"  -> in AWS about {in_aws * 1000:.0f} ms "
                      f"(own {own * 1000:.0f}, waits {waits * 1000:.0f})")
                print(f"  calls per delivery: {per_item(found['calls'], len(times))}")
                figures[f"target_{kind}_ms"] = round(in_aws * 1000, 1)

            print(f"\npublish_message: {len(kinds)} targets per article version")
            serial_own = None  # the code's own time, measured where nothing overlaps (parallel_targets=1)
            for n, parallel in enumerate(args.parallel):
                times, found = measure_publish(stack, meter, records, kinds, parallel, version=2 + n)
                label = "one after the other" if parallel == 1 else f"parallel_targets={parallel}"
                own, in_aws = estimate(times, found, found["critical"])
                if parallel == 1:
                    serial_own = own
                elif serial_own is not None:  # threads contend for the GIL with moto: the split is the serial one
                    own, in_aws = serial_own, serial_own + found["critical"]
                print(summary(f"publish ({label})", times))
                print(f"  calls per article: {per_item(found['calls'], len(times))}")
                print(f"  mean: moto {found['moto'] / len(times) * 1000:.0f} ms, own code {own * 1000:.0f} ms, "
                      f"waits on the longest path {found['critical'] * 1000:.0f} ms "
                      f"(all waits {found['waited'] / len(times) * 1000 + args.webhook_ms:.0f} ms) "
                      f"-> in AWS about {in_aws * 1000:.0f} ms")
                figures[f"publish_wall_parallel_{parallel}_ms"] = round(statistics.median(times) * 1000, 1)
                figures[f"publish_parallel_{parallel}_ms"] = round(in_aws * 1000, 1)
            if len(args.parallel) > 1:
                first, last = args.parallel[0], args.parallel[-1]
                for kind in ("publish_wall_parallel", "publish_parallel"):
                    a, b = figures[f"{kind}_{first}_ms"], figures[f"{kind}_{last}_ms"]
                    what = "wall time on moto (median)" if "wall" in kind else "in AWS (estimate, mean)"
                    print(f"  {what}: {a:.0f} ms -> {b:.0f} ms, {a / b:.2f}x")
        finally:
            meter.uninstall()
            environment.__exit__(None, None, None)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
