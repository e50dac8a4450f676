"""A webhook receiver for the local demo: verifies each signature, keeps each document once.

    python -m synd.publish.receiver --port 8787 --secret-arn ARN [--out out/webhooks]

It answers 401 to a bad or stale signature, 200 otherwise, and writes each
accepted ninjs to `<out>/<Idempotency-Key>.json` (a repeated key is accepted
and not written again, as a real receiver should dedupe). `config/targets.yaml`
points the local webhook targets at 127.0.0.1:8787.
"""
from __future__ import annotations

import argparse
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from synd.publish.signing import HEADER, verify


def make_server(host: str, port: int, secret: str, out_dir: str | Path) -> ThreadingHTTPServer:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if not verify(secret, self.headers.get(HEADER, ""), body):
                return self._answer(401, {"error": "bad signature"})
            key = re.sub(r"[^A-Za-z0-9_.:-]", "_", self.headers.get("Idempotency-Key", "no-key"))
            target = out / f"{key.replace(':', '__')}.json"
            with lock:
                duplicate = target.exists()
                if not duplicate:
                    target.write_text(json.dumps(json.loads(body), ensure_ascii=False, indent=1), encoding="utf-8")
            return self._answer(200, {"ok": True, "duplicate": duplicate})

        def _answer(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return ThreadingHTTPServer((host, port), Handler)


def secret_from(secret_arn: str, target: str | None = None) -> str:
    from synd.targets.webhook import target_secret

    secret = target_secret(secret_arn, target or "")
    if not secret:
        raise SystemExit(f"no secret for {target!r} in {secret_arn}")
    return secret


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8787)
    parser.add_argument("--secret-arn", help="Secrets Manager secret (default $WEBHOOK_SECRET_ARN)")
    parser.add_argument("--target", help="the target name, when the secret is a JSON object per target")
    parser.add_argument("--out", default="out/webhooks")
    args = parser.parse_args(argv)
    import os

    arn = args.secret_arn or os.environ.get("WEBHOOK_SECRET_ARN")
    if not arn:
        parser.error("pass --secret-arn or set WEBHOOK_SECRET_ARN")
    server = make_server(args.host, args.port, secret_from(arn, args.target), args.out)
    print(f"receiving webhooks on http://{args.host}:{server.server_address[1]}/ -> {args.out}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
