"""A table, bucket or queue that is not there (a restarted local stack, a mistyped --table) is one
line naming the call and what to check, exit 4; not a botocore traceback."""
from __future__ import annotations

from synd import cli


def test_a_missing_table_names_the_call_and_what_to_check(aws_stack, capsys):
    code = cli.main(["status", "--table", "no-such-table"])
    err = capsys.readouterr().err
    assert code == cli.AWS_UNAVAILABLE
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 2
    assert err.startswith("synd status: ") and "not found (ResourceNotFoundException" in err and "--table" in err

