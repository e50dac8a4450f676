"""The local stack as a user drives it: moto server on 127.0.0.1, resources from
template.yaml, files dropped with the AWS CLI, the real handlers on moto's
own S3 notification messages."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from synd.local.runner import LocalStack

AWS_CLI = Path(sys.executable).with_name("aws")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with LocalStack.running(out_dir=tmp_path_factory.mktemp("out"), fresh=True) as stack:  # moto keeps data per process
        yield stack


def aws_cp(stack: LocalStack, path: Path, key: str) -> None:
    """`aws s3 cp FILE s3://raw/KEY --endpoint-url ...`, exactly as the README tells editors."""
    subprocess.run([str(AWS_CLI), "s3", "cp", str(path), f"s3://{os.environ['RAW_BUCKET']}/{key}",
                    "--endpoint-url", stack.endpoint, "--only-show-errors"],
                   check=True, env={**os.environ}, capture_output=True, text=True, timeout=60)
