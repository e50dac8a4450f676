"""`synd stack`: keep the local stack up, and process whatever is dropped into it."""
from __future__ import annotations

import json
import os
import shlex
import sys
import time
from collections.abc import Callable
from pathlib import Path

from synd.local.runner import REPO, LocalStack

NAME = "stack"
HELP = ("Keep the local stack running: drop files with `aws s3 cp --endpoint-url ...` and watch them processed "
        "(Ctrl-C stops).")


def add_arguments(parser) -> None:
    parser.add_argument("--port", type=int, default=0, help="port for moto on 127.0.0.1 (default: a free one)")
    parser.add_argument("--out", type=Path, default=REPO / "out", help="where stack.env, logs and the site go")
    parser.add_argument("--samples", action="store_true", help="drop samples/ at start")


def run(args) -> int:
    stack = LocalStack.start(out_dir=args.out, port=args.port)
    env_file = write_env(stack, args.out)
    raw = os.environ["RAW_BUCKET"]
    print(f"local stack at {stack.endpoint} (moto server; Ctrl-C stops it)\n")
    print(f"  source {env_file}   # SYND_ENDPOINT_URL, TABLE_NAME, bucket and queue names, and `awslocal`")
    print(f"  awslocal s3 cp article.html s3://{raw}/incoming/<partner>/article.html")
    print(f"    (= aws s3 cp ... --endpoint-url {stack.endpoint} with the stack's fake credentials)")
    print("  synd status            # articles, deliveries, rejected drops")
    print("  synd deliveries --state failed\n")
    if args.samples:
        stack.upload(REPO / "samples")
    window = StackWindow(stack.log_file)
    try:
        while True:
            if stack.poll_once(wait_seconds=1):
                window.print_new()
                stack.export_site(args.out / "site")
            else:
                time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nstopping")
    finally:
        stack.stop()
    return 0


# what the functions' environment holds that must not leak into the operator's shell: the endpoint and
# fake credentials would send their later `aws` commands to moto; the Powertools settings are the functions'
_FUNCTION_ONLY = ("AWS_", "POWERTOOLS_", "SYND_LID_MODEL", "SYND_CONFIG_DIR", "SYND_CONFIG_MAX_AGE")


def write_env(stack: LocalStack, out: Path) -> Path:
    """out/stack.env: the stack's endpoint for synd's commands (SYND_ENDPOINT_URL), its resource names, and
    `awslocal`, the AWS CLI pointed at the stack; nothing that changes where a plain `aws` goes."""
    described = stack.describe()
    out.mkdir(parents=True, exist_ok=True)
    names = {k: v for k, v in described["environment"].items() if not k.startswith(_FUNCTION_ONLY)}
    env = {"SYND_ENDPOINT_URL": stack.endpoint, **names}
    aws_cli = Path(sys.executable).with_name("aws")
    cli = shlex.quote(str(aws_cli)) if aws_cli.exists() else "aws"
    awslocal = (f'awslocal() {{ AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 '
                f'{cli} --endpoint-url "$SYND_ENDPOINT_URL" "$@"; }}\n')
    path = out / "stack.env"
    path.write_text("".join(f"export {k}={shlex.quote(str(v))}\n" for k, v in env.items()) + awslocal)
    return path


class StackWindow:
    """What the functions did, a line per event, read from the stack's log file as it grows: the same
    JSON lines a deployed stack writes to CloudWatch Logs (synd.observability)."""

    def __init__(self, log_file: Path) -> None:
        self.log_file, self.offset, self.partial = log_file, 0, b""

    def new_records(self) -> list[dict]:
        try:
            with open(self.log_file, "rb") as fh:
                fh.seek(self.offset)
                data = fh.read()
        except FileNotFoundError:
            return []
        self.offset += len(data)
        *lines, self.partial = (self.partial + data).split(b"\n")
        records = []
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and "message" in record:  # EMF metric lines have none
                records.append(record)
        return records

    def print_new(self) -> None:
        for record in self.new_records():
            line = event_line(record)
            if line:
                print(line, flush=True)


def event_line(record: dict) -> str | None:
    """One line for the operator: when, what, whose, which drop or article version, and the outcome."""
    render = _renderer(str(record.get("message") or ""))
    if render is None:
        return None
    what, detail = render(record)
    when = str(record.get("timestamp") or "")[11:19] or time.strftime("%H:%M:%S")
    return "  ".join(part for part in (when, f"{what:10}", str(record.get("partner") or "-"), detail) if part)


def _renderer(message: str) -> Callable[[dict], tuple[str, str]] | None:
    """The event a message is: itself, or its words before a colon (`drop rejected: the parser failed`)."""
    return _EVENTS.get(message) or _EVENTS.get(message.partition(":")[0])


def _version(record: dict) -> str:
    return f"{record.get('article_id') or '?'} v{record.get('version') or '?'}"


def _ingested(r: dict) -> tuple[str, str]:
    articles = r.get("articles") or []
    state = "superseded" if r.get("state") == "superseded" else "ingested"
    return state, (f"{r.get('s3_key')}  {len(articles)} article(s), {r.get('new_versions', 0)} new version(s)"
                   + (f": {', '.join(articles[:3])}{' …' if len(articles) > 3 else ''}" if articles else ""))


def _published(r: dict) -> tuple[str, str]:
    outcomes = " ".join(f"{d.get('target')}:{d.get('state')}" for d in r.get("deliveries") or [])
    return "published", f"{_version(r)}  {outcomes or 'no target'}"


def _delivery(state: str) -> Callable[[dict], tuple[str, str]]:
    def render(r: dict) -> tuple[str, str]:
        wait = f" (again in {r['delay']} s)" if r.get("delay") is not None else ""
        return state, f"{r.get('target')}  {_version(r)}  {str(r.get('error') or '')[:160]}{wait}"
    return render


def _target_paused(r: dict) -> tuple[str, str]:
    return "target", (f"{r.get('target')}  paused after {_version(r)} ({str(r.get('error') or '')[:160]}): "
                      "its deliveries fail without calling it until `synd redrive --target`")


_EVENTS: dict[str, Callable[[dict], tuple[str, str]]] = {
    "drop ingested": _ingested,
    "drop already processed": lambda r: ("duplicate", f"{r.get('s3_key')}  same bytes as before: nothing new"),
    "drop rejected": lambda r: ("rejected", f"{r.get('s3_key')}  {r.get('code')}: {str(r.get('reason'))[:160]}"),
    "item rejected": lambda r: ("item", f"{r.get('s3_key')}  rejected {r.get('code')}: {str(r.get('reason'))[:160]}"),
    "published": _published,
    "delivery will be retried": _delivery("retrying"),
    "delivery failed": _delivery("failed"),
    "delivery paused": lambda r: ("paused", f"{r.get('target')}  {_version(r)}  {str(r.get('reason') or '')[:160]}"),
    "target paused": _target_paused,
    "record failed": lambda r: ("error", (f"{r.get('correlation_id') or ''}  {r.get('error_type') or ''}: "
                                          f"{_first_line((r.get('stack_trace') or {}).get('value'))}")),
    "record deferred": lambda r: ("deferred", f"{r.get('correlation_id') or ''}  {_first_line(r.get('reason'))}"),
}


def _first_line(text) -> str:
    return str(text or "").strip().splitlines()[0][:160] if str(text or "").strip() else ""
