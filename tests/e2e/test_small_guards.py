"""Small guards (issue "nothing lost", item 9): a path-like ``--portal`` is one line of error, a PDF's
declared page count is checked before any page is built, and DEBUG logs carry no S3 signatures."""

from __future__ import annotations

import re

from tests.support.cli import run_cli


def many_pages(count: int) -> bytes:
    """A valid PDF of ``count`` empty pages (each its own object, as a real long document has)."""
    kids = " ".join(f"{4 + n} 0 R" for n in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
               b"<< >>"] + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>"] * count
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_a_path_like_portal_name_is_a_one_line_error(sample_portal, tmp_path):
    archive = tmp_path / "deep" / "archive"
    result = run_cli("crawl", sample_portal.home_url, "--proxy", sample_portal.url, "--portal", "../../x",
                     "--archive", str(archive))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "error: invalid --portal '../../x': letters, digits, '.', '-' or '_', up to 64, no '..'\n"
    assert not list(tmp_path.rglob("x.json"))


def test_a_pdf_declaring_too_many_pages_is_refused_before_its_pages_are_built(tmp_path):
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(many_pages(100_000))
    result = run_cli("parse", str(pdf))
    assert result.returncode == 2
    # PDFium's page count is the page tree's /Count: no page is built to learn it
    assert result.stderr == f"error: cannot parse {pdf}: PDF has 100000 pages, over the 300 limit\n"


def test_debug_logs_carry_no_s3_signatures_or_keys(sample_portal, s3_env):
    result = run_cli("--log-level", "DEBUG", "crawl", sample_portal.home_url, "--proxy", sample_portal.url,
                     "--archive", "s3://nianbao-test/debug-log", env=s3_env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "botocore" in result.stderr  # the S3 requests were logged …
    assert s3_env["AWS_SECRET_ACCESS_KEY"] not in result.stderr  # … without their secrets
    assert not re.search(r"Signature=[0-9a-f]{16}", result.stderr)
    assert not re.search(r"Credential=\w", result.stderr)
    assert "[redacted]" in result.stderr
