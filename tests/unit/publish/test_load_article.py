"""The publish function without PROCESSED_BUCKET (a misconfigured deployment) says which setting is
missing, instead of a TypeError from inside botocore (`expected string or bytes-like object, got
'NoneType'`). Found by mypy: TargetEnv.processed_bucket is optional, get_json needs a name."""
from __future__ import annotations

import pytest

from synd.publish.publisher import PublishConfig, load_article
from synd.targets import TargetEnv


def test_an_unset_processed_bucket_is_named():
    with pytest.raises(RuntimeError, match="PROCESSED_BUCKET is not set"):
        load_article({"article_id": "a", "version": 1}, PublishConfig(table="t", env=TargetEnv()))
