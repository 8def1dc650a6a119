"""The same crawl into a local directory and into SeaweedFS gives the same archive."""

from __future__ import annotations

import uuid

from storage import LocalStorage, open_storage
from tests.support.cli import run_cli, without_crawl_fields


def test_local_and_s3_archives_hold_the_same_keys_and_bytes(sample_portal, seaweed, s3_env, tmp_path):
    uri = f"s3://{seaweed.bucket}/e2e-{uuid.uuid4().hex[:8]}"
    for archive in (str(tmp_path / "local"), uri):
        result = run_cli("crawl", sample_portal.home_url, "--proxy", sample_portal.url, "--archive", archive,
                         env=s3_env)
        assert result.returncode == 0, result.stderr
    local, remote = LocalStorage(tmp_path / "local"), open_storage(uri)
    kept = ("raw/", "text/", "reports/")
    local_keys = sorted(k for p in kept for k in local.keys(p))
    assert local_keys == sorted(k for p in kept for k in remote.keys(p))
    assert len([k for k in local_keys if k.startswith("reports/")]) == 12
    for key in local_keys:
        if key.startswith("reports/"):  # records differ only in fetch time and WARC position
            assert without_crawl_fields(local.get(key)) == without_crawl_fields(remote.get(key)), key
        else:
            assert local.get(key) == remote.get(key), key
    assert len(list(remote.keys("runs/"))) == 1
    verified = run_cli("verify", "--archive", uri, env=s3_env)
    assert verified.returncode == 0 and verified.stdout.strip().endswith("0 problems"), verified.stdout

    again = run_cli("crawl", sample_portal.home_url, "--proxy", sample_portal.url, "--archive", uri, env=s3_env)
    assert again.returncode == 0 and "nothing new archived" in again.stdout
