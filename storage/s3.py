"""Archive in an S3-compatible bucket (AWS, MinIO, SeaweedFS): ``s3://bucket/prefix``.

Endpoint, region and credentials come from the standard AWS settings (``AWS_ENDPOINT_URL``,
``AWS_REGION``/``AWS_DEFAULT_REGION``, ``AWS_ACCESS_KEY_ID``… or ``~/.aws``), as boto3 reads them.
- Put-if-absent is the server's: ``If-None-Match: *``; 412 means the key is already there.
- Every object carries its SHA-256 (``ChecksumSHA256``, checked by the server on upload) and reads
  are verified against it; checksums are only sent when we ask (``when_required``), since non-AWS
  servers reject some of boto3's default CRC trailers.
- Transient errors are retried by botocore (standard mode, backoff with jitter); bodies over
  ``MULTIPART_THRESHOLD`` go up in parts, completed with the same put-if-absent condition.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterator
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from storage.base import StorageError
from storage.keys import checked_key
from storage.redact import redact_signed_requests

MULTIPART_THRESHOLD = 16 * 1024 * 1024
PART_SIZE = 8 * 1024 * 1024
_ALREADY_THERE = {"PreconditionFailed", "412"}
_MISSING = {"404", "NoSuchKey", "NotFound"}
_CONFLICT = {"ConditionalRequestConflict", "409"}


def _sha256_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def client_config() -> Config:
    return Config(
        retries={"max_attempts": int(os.environ.get("NIANBAO_S3_MAX_ATTEMPTS", "5")), "mode": "standard"},
        connect_timeout=float(os.environ.get("NIANBAO_S3_CONNECT_TIMEOUT", "5")),
        read_timeout=float(os.environ.get("NIANBAO_S3_READ_TIMEOUT", "60")),
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        max_pool_connections=32,
    )


class S3Storage:
    def __init__(self, uri: str) -> None:
        parts = urlsplit(uri)
        if parts.scheme != "s3" or not parts.netloc:
            raise StorageError(f"invalid S3 archive URI {uri!r}: expected s3://bucket[/prefix]")
        self.bucket = parts.netloc
        self.prefix = parts.path.strip("/")
        self.location = uri.rstrip("/")
        redact_signed_requests()
        try:
            self.client = boto3.client("s3", config=client_config())
        except BotoCoreError as exc:
            raise StorageError(f"cannot configure S3 for {uri}: {exc}") from exc

    def _name(self, key: str) -> str:
        key = checked_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _fail(self, action: str, key: str, exc: Exception) -> StorageError:
        return StorageError(f"cannot {action} {self.location}/{key}: {exc}")

    def put(self, key: str, data: bytes, *, replace: bool = False) -> bool:
        name = self._name(key)
        condition = {} if replace else {"IfNoneMatch": "*"}
        try:
            if len(data) > MULTIPART_THRESHOLD:
                self._put_multipart(name, data, condition)
            else:
                self.client.put_object(Bucket=self.bucket, Key=name, Body=data, ChecksumSHA256=_sha256_b64(data),
                                       **condition)
        except ClientError as exc:
            if not replace and _code(exc) in _ALREADY_THERE:
                return False
            raise self._fail("write", key, exc) from exc
        except BotoCoreError as exc:
            raise self._fail("write", key, exc) from exc
        return True

    def _put_multipart(self, name: str, data: bytes, condition: dict[str, str]) -> None:
        upload = self.client.create_multipart_upload(Bucket=self.bucket, Key=name, ChecksumAlgorithm="SHA256")
        upload_id = upload["UploadId"]
        try:
            parts = []
            for number, start in enumerate(range(0, len(data), PART_SIZE), 1):
                chunk = data[start:start + PART_SIZE]
                checksum = _sha256_b64(chunk)
                reply = self.client.upload_part(Bucket=self.bucket, Key=name, UploadId=upload_id, PartNumber=number,
                                                Body=chunk, ChecksumSHA256=checksum)
                parts.append({"PartNumber": number, "ETag": reply["ETag"], "ChecksumSHA256": checksum})
            self.client.complete_multipart_upload(Bucket=self.bucket, Key=name, UploadId=upload_id,
                                                  MultipartUpload={"Parts": parts}, **condition)
        except BaseException:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=name, UploadId=upload_id)
            raise

    def read_versioned(self, key: str) -> tuple[bytes | None, str | None]:
        try:
            reply = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
            return reply["Body"].read(), reply["ETag"]
        except ClientError as exc:
            if _code(exc) in _MISSING:
                return None, None
            raise self._fail("read", key, exc) from exc
        except BotoCoreError as exc:
            raise self._fail("read", key, exc) from exc

    def put_versioned(self, key: str, data: bytes, version: str | None) -> str | None:
        """``If-Match: <ETag>`` (or ``If-None-Match: *`` for a new key); 412 (409 when AWS sees two such
        writes at once) means another writer came first."""
        condition = {"IfMatch": version} if version is not None else {"IfNoneMatch": "*"}
        try:
            reply = self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=data,
                                           ChecksumSHA256=_sha256_b64(data), **condition)
        except ClientError as exc:
            if _code(exc) in _ALREADY_THERE | _CONFLICT | _MISSING:
                return None
            raise self._fail("write", key, exc) from exc
        except BotoCoreError as exc:
            raise self._fail("write", key, exc) from exc
        return reply["ETag"]

    def get(self, key: str) -> bytes:
        try:
            reply = self.client.get_object(Bucket=self.bucket, Key=self._name(key), ChecksumMode="ENABLED")
            data = reply["Body"].read()
        except (ClientError, BotoCoreError) as exc:
            raise self._fail("read", key, exc) from exc
        stored = reply.get("ChecksumSHA256")
        if stored and "-" not in stored and stored != _sha256_b64(data):  # "-N": a multipart composite
            raise StorageError(f"checksum mismatch reading {self.location}/{key}: stored {stored}")
        return data

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._name(key))
        except (ClientError, BotoCoreError) as exc:
            raise self._fail("delete", key, exc) from exc

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as exc:
            if _code(exc) in _MISSING:
                return False
            raise self._fail("check", key, exc) from exc
        except BotoCoreError as exc:
            raise self._fail("check", key, exc) from exc
        return True

    def keys(self, prefix: str) -> Iterator[str]:
        base = prefix.rstrip("/")
        full = self._name(base) + "/" if base else (self.prefix + "/" if self.prefix else "")
        skip = len(self.prefix) + 1 if self.prefix else 0
        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=full):
                for entry in page.get("Contents", []):
                    if not entry["Key"][skip:].startswith("."):
                        yield entry["Key"][skip:]
        except (ClientError, BotoCoreError) as exc:
            raise self._fail("list", prefix, exc) from exc

    def check_writable(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
            probe = f"{self.prefix}/.write-probe" if self.prefix else ".write-probe"  # outside the key rules
            self.client.put_object(Bucket=self.bucket, Key=probe, Body=b"")
            self.client.delete_object(Bucket=self.bucket, Key=probe)
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"archive {self.location} is not writable: {exc}") from exc


def _code(exc: ClientError) -> str:
    error = exc.response.get("Error", {})
    return str(error.get("Code") or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode"))
