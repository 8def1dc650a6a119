"""``nianbao export --format wacz``: a package ``wacz validate`` accepts and pywb replays; old archives too."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.archive.warcfiles import WarcFiles
from crawler.core.warc import Exchange
from crawler.export.wacz import export_wacz
from storage import LocalStorage
from tests.support.cli import run_cli
from tests.support.old_layout import to_old_layout
from tests.support.pywb import Wayback, build_collection, decoded, report_pages

WACZ = Path(sys.executable).parent / "wacz"


def validate(package: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(WACZ), "validate", "-f", str(package)], capture_output=True, text=True, timeout=120,
                          check=False)


def export(archive: Path, out: Path, *options: str) -> Path:
    result = run_cli("export", "--format", "wacz", "--archive", str(archive), "--out", str(out), *options)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def package(demo_twice, tmp_path_factory) -> Path:
    return export(demo_twice, tmp_path_factory.mktemp("wacz") / "demo.wacz")


def test_wacz_validate_accepts_the_package(package):
    check = validate(package)
    assert check.returncode == 0 and "Validation succeeded" in check.stdout, check.stdout


def test_the_package_holds_the_capture_warcs_their_index_and_the_report_pages(demo_twice, package):
    with zipfile.ZipFile(package) as wacz:
        names = wacz.namelist()
        warcs = sorted(name for name in names if name.startswith("archive/"))
        assert warcs == sorted(f"archive/{p.name}" for p in demo_twice.glob("warc/*/*.warc.gz"))
        assert all(wacz.getinfo(name).compress_type == zipfile.ZIP_STORED for name in warcs)
        assert set(names) - set(warcs) == {"indexes/index.cdx", "pages/pages.jsonl", "datapackage.json",
                                           "datapackage-digest.json"}
        header, *pages = map(json.loads, wacz.read("pages/pages.jsonl").decode("utf-8").splitlines())
        index = wacz.read("indexes/index.cdx").decode("utf-8").splitlines()
        package_json = json.loads(wacz.read("datapackage.json"))
    assert header["format"] == "json-pages-1.0" and package_json["wacz_version"] == "1.1.1"
    assert {page["url"] for page in pages} == set(report_pages(demo_twice)) and len(pages) == 17
    assert all(page["title"] and page["ts"] for page in pages)
    assert sum("（附件 " in page["title"] for page in pages) == 5  # the attachments, beside their pages
    revisits = [line for line in index if '"warc/revisit"' in line]
    assert len(index) == 24 + 11 and len(revisits) == 11 and not any('"status": "304"' in line for line in index)


def test_a_changed_byte_fails_wacz_validate(package, tmp_path):
    tampered = tmp_path / "tampered.wacz"
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data.replace(b"yangli", b"yangl1", 1) if info.filename.endswith(".cdx") else data)
    check = validate(tampered)
    assert "Validation failed" in check.stdout, check.stdout


def test_pywb_replays_the_report_pages_from_the_package(demo_twice, package, tmp_path):
    build_collection(tmp_path / "pywb", "wacz", [package])
    with Wayback(tmp_path / "pywb") as wayback:
        for url, sha256 in sorted(report_pages(demo_twice).items()):
            status, headers, body = wayback.replay("wacz", "29991231235959", url)  # the latest: a revisit if any
            assert (status, hashlib.sha256(decoded(headers, body)).hexdigest()) == (200, sha256), url


def test_portal_and_region_select_the_records_files_and_captures(tmp_path):
    storage = LocalStorage(tmp_path / "archive")
    for crawl, host in (("c1", "a.gov.test"), ("c2", "b.gov.test")):
        files = WarcFiles(storage, crawl, 1 << 20, host="h")
        files.open()
        url = f"http://{host}/nb/t1.html"
        ref, _ = files.write_fetch(Exchange(url, "GET", (), b"", 200, (("Content-Type", "text/html"),),
                                            f"<title>{host}</title>".encode()))
        files.close()
        record = {"report_id": crawl, "title": f"{host} 年报", "region": f"{crawl}县",
                  "source": {"portal": host.split(".")[0], "final_url": url, "page_url": None,
                             "fetched_at": "2024-01-01T00:00:00+00:00", "warc_file": ref.file}}
        storage.put(f"reports/2023/{crawl}.json", json.dumps(record).encode())
    for selection in ({"portals": ["b"]}, {"regions": ["c2县"]}):
        result = export_wacz(storage, tmp_path / "b.wacz", **selection)
        with zipfile.ZipFile(result.path) as wacz:
            assert [n for n in wacz.namelist() if n.startswith("archive/")] == ["archive/nianbao-c2-00000-h.warc.gz"]
            assert "b.gov.test" in wacz.read("indexes/index.cdx").decode() and result.captures == 1
        assert (result.pages, result.warc_files) == (1, 1)
        assert validate(result.path).returncode == 0
    missing = run_cli("export", "--format", "wacz", "--archive", str(tmp_path / "archive"), "--out",
                      str(tmp_path / "x.wacz"), "--portal", "nope")
    assert missing.returncode == 2 and missing.stderr.startswith("error: no report records match") and \
        missing.stderr.count("\n") == 1 and not (tmp_path / "x.wacz").exists()
    for options in (["--format", "wacz", "--out", str(tmp_path)], ["--format", "csv", "--out", str(tmp_path / "t"),
                                                                    "--portal", "b"]):
        refused = run_cli("export", "--archive", str(tmp_path / "archive"), *options)
        assert refused.returncode == 2 and refused.stderr.startswith("error: ") and refused.stderr.count("\n") == 1


@pytest.fixture(scope="module")
def old_archive(demo_twice, tmp_path_factory) -> Path:
    """The demo archive rewritten in the layout archives had before this change (tests/support/old_layout.py)."""
    archive = tmp_path_factory.mktemp("old") / "archive"
    shutil.copytree(demo_twice, archive)
    to_old_layout(archive)
    return archive


def test_old_layout_is_what_the_old_code_wrote(old_archive):
    assert sorted(p.name for p in old_archive.glob("warc/*/*")) == sorted(["00000.index.jsonl", "00000.warc.gz"] * 2)
    assert not (old_archive / "wet").exists()
    first, second = sorted(old_archive.glob("warc/*/00000.warc.gz"))
    types = [r.rec_type for r in ArchiveIterator(first.open("rb"))]
    assert types.count("conversion") == 11
    statuses = [r.http_headers.get_statuscode() for r in ArchiveIterator(second.open("rb")) if r.rec_type == "response"]
    assert statuses == ["304"] * 11


def test_an_old_layout_archive_verifies_reparses_and_exports(old_archive, tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(old_archive, archive)
    verify = run_cli("verify", "--archive", str(archive))
    assert verify.returncode == 0 and "0 problems" in verify.stdout, verify.stdout + verify.stderr
    reparse = run_cli("reparse", "--archive", str(archive))
    assert reparse.returncode == 0 and "0 failed" in reparse.stdout, reparse.stderr
    tables = run_cli("export", "--format", "jsonl", "--archive", str(archive), "--out", str(tmp_path / "tables"))
    assert tables.returncode == 0, tables.stderr
    warc_files = {json.loads(line)["warc_file"] for line in (tmp_path / "tables" / "reports.jsonl").open()}
    assert warc_files == {f"warc/{p.parent.name}/00000.warc.gz" for p in archive.glob("warc/*/00000.warc.gz")} - {
        f"warc/{sorted(archive.glob('warc/*'))[1].name}/00000.warc.gz"}
    package = export(archive, tmp_path / "old.wacz")
    assert validate(package).returncode == 0
    with zipfile.ZipFile(package) as wacz:
        warcs = sorted(n for n in wacz.namelist() if n.startswith("archive/"))
        index = wacz.read("indexes/index.cdx").decode("utf-8")
    assert warcs == sorted(f"archive/{p.parent.name}-00000.warc.gz" for p in archive.glob("warc/*/00000.warc.gz"))
    assert "conversion" not in index and index.count("\n") == 24 + 11


def test_a_crawl_onto_an_old_layout_archive_refers_to_its_captures(old_archive, tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(old_archive, archive)
    result = run_cli("demo", "--archive", str(archive))
    assert result.returncode == 0, result.stderr
    (new,) = [p for p in archive.glob("warc/*/*.warc.gz") if p.name.startswith("nianbao-")]
    revisits = [r for r in ArchiveIterator(new.open("rb")) if r.rec_type == "revisit"]
    first = sorted(archive.glob("warc/*/00000.warc.gz"))[0]
    originals = {r.rec_headers.get_header("WARC-Record-ID") for r in ArchiveIterator(first.open("rb"))}
    assert len(revisits) == 11 and all(r.rec_headers.get_header("WARC-Refers-To") in originals for r in revisits)
    verify = run_cli("verify", "--archive", str(archive))
    assert verify.returncode == 0, verify.stdout
