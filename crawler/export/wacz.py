"""``nianbao export --format wacz``: the capture WARCs as a WACZ 1.1.1 package ReplayWeb.page opens.

The package (a ZIP, https://specs.webrecorder.net/wacz/1.1.1/) holds:

- ``archive/``: the capture WARC files (``warc/<crawl-id>/*.warc.gz``, stored uncompressed in the ZIP so
  replay can seek into them); the text WARCs (``wet/``) stay out. Files of the old layout, all named
  ``<n>.warc.gz``, go in as ``<crawl-id>-<n>.warc.gz`` so that their names stay apart;
- ``indexes/index.cdx``: the CDXJ index of their response and revisit records (cdxj-indexer, as py-wacz
  and pywb index; conversion records of old-layout files are not indexed);
- ``pages/pages.jsonl``: every report page and attachment with its title and fetch time: the list
  ReplayWeb.page opens on;
- ``datapackage.json`` (each file's size and SHA-256) and ``datapackage-digest.json`` (the hash of that).

``portals`` / ``regions`` select records by ``source.portal`` / ``region``: the package then lists their
pages, holds only the WARC files with captures of their hosts and indexes only those captures.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from cdxj_indexer.main import write_cdx_index

from crawler.archive.layout import CAPTURES
from crawler.archive.warcfiles import index_key
from crawler.core.warc import SOFTWARE
from crawler.export.archive_reader import iter_records
from storage import Storage

WACZ_VERSION = "1.1.1"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "政府信息公开工作年度报告"}


class NothingToExport(ValueError):
    """No record matches the selection."""


@dataclass(frozen=True, slots=True)
class WaczResult:
    path: Path
    pages: int
    warc_files: int
    captures: int


def export_wacz(storage: Storage, out: Path, *, portals: Collection[str] = (),
                regions: Collection[str] = ()) -> WaczResult:
    records = [record for _key, _data, record in iter_records(storage)
               if (not portals or record["source"].get("portal") in portals)
               and (not regions or record.get("region") in regions)]
    if not records:
        raise NothingToExport("no report records match the selection")
    pages = page_entries(records)
    hosts = {urlsplit(page["url"]).hostname for page in pages[1:]} if portals or regions else None
    with tempfile.TemporaryDirectory(prefix="nianbao-wacz-") as tmp:
        warcs = [_fetch(storage, key, Path(tmp)) for key in capture_files(storage, hosts)]
        index = _cdxj(warcs, Path(tmp) / "index.cdxj", hosts)
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(f".{out.name}.partial")
        _write_package(partial, warcs, index, pages)
        os.replace(partial, out)
    return WaczResult(out, len(pages) - 1, len(warcs), len(index.splitlines()))


def page_entries(records: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """The pages.jsonl lines: the header, then each report page and attachment once, in URL order."""
    pages: dict[str, dict[str, str]] = {}
    for record in records:
        source, title = record["source"], record.get("title") or record["source"]["final_url"]
        if source.get("page_url"):  # an attachment: its page, then the file itself
            pages.setdefault(source["page_url"], _page(source["page_url"], source["fetched_at"], title))
            name = PurePosixPath(urlsplit(source["final_url"]).path).name
            title = f"{title}（附件 {name}）"
        pages.setdefault(source["final_url"], _page(source["final_url"], source["fetched_at"], title))
    return [PAGES_HEADER, *(pages[url] for url in sorted(pages))]


def _page(url: str, ts: str, title: str) -> dict[str, str]:
    return {"id": hashlib.sha256(url.encode("utf-8")).hexdigest()[:32], "url": url, "ts": ts, "title": title}


def capture_files(storage: Storage, hosts: Collection[str | None] | None) -> list[str]:
    """The capture WARC keys, all or those whose index names a capture of ``hosts``."""
    keys = [key for key in sorted(storage.keys(CAPTURES)) if key.endswith(".warc.gz")]
    if hosts is None:
        return keys
    return [key for key in keys if not storage.exists(index_key(key)) or hosts & _hosts_in(storage, index_key(key))]


def _hosts_in(storage: Storage, key: str) -> set[str | None]:
    lines = storage.get(key).decode("utf-8").splitlines()
    return {urlsplit(json.loads(line).get("warc-target-uri") or "").hostname for line in lines}


def package_name(key: str) -> str:
    """A WARC file's name in the package: its own, or ``<crawl-id>-<n>.warc.gz`` for the old layout's."""
    path = PurePosixPath(key)
    return path.name if path.name.startswith("nianbao-") else f"{path.parent.name}-{path.name}"


def _fetch(storage: Storage, key: str, tmp: Path) -> Path:
    path = tmp / package_name(key)
    path.write_bytes(storage.get(key))
    return path


def _cdxj(warcs: list[Path], out: Path, hosts: Collection[str | None] | None) -> str:
    """The sorted CDXJ lines of the response and revisit records, of ``hosts`` only when given."""
    if not warcs:
        return ""
    write_cdx_index(str(out), [str(path) for path in warcs], {"sort": True})
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(line for line in lines
                   if hosts is None or urlsplit(json.loads(line.split(" ", 2)[2])["url"]).hostname in hosts)


def _write_package(path: Path, warcs: list[Path], index: str, pages: list[dict[str, str]]) -> None:
    """The ZIP: WARC files streamed in uncompressed, then the index, the page list and the datapackage."""
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    stamp = _zip_time(created)
    resources: list[dict[str, Any]] = []
    with zipfile.ZipFile(path, "w") as package_zip:
        for warc in warcs:
            digest = hashlib.sha256()
            with warc.open("rb") as source, package_zip.open(zipfile.ZipInfo(f"archive/{warc.name}", stamp), "w",
                                                             force_zip64=True) as target:
                while chunk := source.read(1 << 20):
                    digest.update(chunk)
                    target.write(chunk)
            resources.append(_resource(f"archive/{warc.name}", digest.hexdigest(), warc.stat().st_size))

        def add(name: str, data: bytes, listed: bool = True) -> None:
            package_zip.writestr(zipfile.ZipInfo(name, stamp), data, compress_type=zipfile.ZIP_DEFLATED)
            if listed:
                resources.append(_resource(name, hashlib.sha256(data).hexdigest(), len(data)))

        add("indexes/index.cdx", index.encode("utf-8"))
        add("pages/pages.jsonl", "".join(json.dumps(page, ensure_ascii=False) + "\n" for page in pages).encode())
        package = {"profile": "data-package", "resources": resources, "wacz_version": WACZ_VERSION,
                   "title": "nianbao archive", "created": created, "software": SOFTWARE.split(" ")[0]}
        package_data = json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")
        add("datapackage.json", package_data, listed=False)
        digest_data = {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(package_data).hexdigest()}
        add("datapackage-digest.json", json.dumps(digest_data, indent=2).encode("utf-8"), listed=False)


def _resource(name: str, sha256: str, size: int) -> dict[str, Any]:
    """A datapackage resource; frictionless wants lower-case names (crawl IDs have a T and a Z)."""
    return {"name": PurePosixPath(name).name.lower(), "path": name, "hash": f"sha256:{sha256}", "bytes": size}


def _zip_time(iso: str) -> tuple[int, int, int, int, int, int]:
    moment = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")
    return moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second
