"""out/stack.env, sourced in the operator's shell, points synd's commands and `awslocal` at the local
stack and nothing else: a plain `aws` in that shell still goes to AWS with the operator's own
credentials, and the functions' Powertools settings stay the functions'."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from synd.commands.stack import write_env

from tests.conftest import SAMPLES

SYND = Path(sys.executable).with_name("synd")


def in_a_fresh_shell(script: str, home: Path) -> subprocess.CompletedProcess:
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(home),
           "AWS_EC2_METADATA_DISABLED": "true"}
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, timeout=120)


def test_the_operators_shell_keeps_its_own_aws(stack, tmp_path):
    env_file = write_env(stack, tmp_path)
    text = env_file.read_text()
    # the defect: AWS_ENDPOINT_URL, fake credentials and POWERTOOLS_* were exported into the shell
    assert "AWS_ENDPOINT_URL" not in text and "AWS_ACCESS_KEY_ID=" not in text.split("awslocal()")[0]
    assert "POWERTOOLS_" not in text
    drop = SAMPLES / "afgazad" / "000_afb5d5d29ecc6f79.txt"
    run = in_a_fresh_shell(f"""
        set -e
        source {env_file}
        awslocal s3 cp {drop} "s3://$RAW_BUCKET/incoming/afgazad/stack-env.txt" --only-show-errors
        echo "endpoint=${{AWS_ENDPOINT_URL-unset}} key=${{AWS_ACCESS_KEY_ID-unset}} log=${{POWERTOOLS_LOG_LEVEL-unset}}"
        {SYND} status --json > /dev/null
        echo status=$?
    """, tmp_path)
    assert run.returncode == 0, run.stderr
    assert "endpoint=unset key=unset log=unset" in run.stdout and "status=0" in run.stdout
    s3 = stack.client("s3")
    assert s3.head_object(Bucket=os.environ["RAW_BUCKET"], Key="incoming/afgazad/stack-env.txt")["ContentLength"] > 0
