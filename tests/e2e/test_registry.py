"""The portal registry: parsing, errors that name the line, `nianbao portals`, crawls selected by name."""

from __future__ import annotations

import json

import pytest

from crawler.registry import RegistryError, add_portal, load_registry, new_portal, parse_registry
from sampleportal.server import SamplePortal
from tests.support.cli import run_cli

ENTRY = """[[portal]]
name = "{name}"
home = "http://www.{name}.gov.test/"
region_code = "{code}"
"""


def registry_text(count: int) -> str:
    return "\n".join(ENTRY.format(name=f"p{n:04d}", code=f"{510000 + n:06d}") for n in range(count))


def test_entries_with_defaults_and_overrides():
    registry = parse_registry(ENTRY.format(name="a", code="510921") + """family = "trs"
allowed_domains = ["a.gov.test", "www.a.gov.test"]
obey_robots = false
concurrency = 1
download_delay = 2
""")
    (portal,) = registry
    assert (portal.name, portal.family, portal.region_code, portal.line) == ("a", "trs", "510921", 1)
    assert portal.allowed_domains == ("a.gov.test", "www.a.gov.test")
    assert portal.scrapy_settings() == {"ROBOTSTXT_OBEY": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
                                        "DOWNLOAD_DELAY": 2.0}
    (plain,) = parse_registry(ENTRY.format(name="b", code="110118"))
    assert plain.allowed_domains == ("www.b.gov.test",) and plain.family is None and plain.scrapy_settings() == {}


def test_hundreds_of_portals_and_selection():
    registry = parse_registry(registry_text(600), "big.toml")
    assert len(registry) == 600 and registry.portals[599].line == 5 * 599 + 1
    assert [p.name for p in registry.select(["p0007", "p0003"])] == ["p0003", "p0007"]
    assert len(registry.select([])) == 600
    with pytest.raises(RegistryError, match=r"^big.toml: no portal named 'nope'$"):
        registry.select(["nope"])


@pytest.mark.parametrize(("tail", "message"), [
    ('family = "drupal"\n', r"^r.toml:6: portal 'p0001': family 'drupal' is not one of trs, "),
    ('allowed_domains = ["other.gov.test"]\n', r"^r.toml:6: portal 'p0001': home host 'www.p0001.gov.test' is outside"),
    ("concurrency = -1\n", r"^r.toml:6: portal 'p0001': concurrency must be a non-negative int$"),
    ('homepage = "x"\n', r"^r.toml:6: portal 'p0001': unknown keys \['homepage'\]"),
    ("[[portal]]\nname = \"x\"\n", r"^r.toml:10: portal 'x': missing home, region_code$"),
    (ENTRY.format(name="p0000", code="510000"), r"^r.toml:10: portal name 'p0000' already used on line 1$"),
    ("name2 = \n", r"^r.toml:10: invalid TOML"),
])
def test_bad_entries_name_their_line(tail, message):
    with pytest.raises(RegistryError, match=message):
        parse_registry(registry_text(2) + tail, "r.toml")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("home", "ftp://x.gov.test/", "is not an http"), ("region_code", "51092", "6-digit"),
    ("region_code", 510921, "6-digit"), ("name", "Bad Name", "lower-case"),
])
def test_bad_values(field, value, message):
    entry = {"name": "a", "home": "http://a.gov.test/", "region_code": "510921", field: value}
    text = "[[portal]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in entry.items())
    with pytest.raises(RegistryError, match=message):
        parse_registry(text)


def test_add_appends_a_valid_entry_and_refuses_a_clash(tmp_path):
    path = tmp_path / "portals.toml"
    path.write_text(registry_text(1), encoding="utf-8")
    added = add_portal(path, new_portal("new", "https://www.new.gov.test/", "440402", "gkmlpt"))
    assert [p.name for p in added] == ["p0000", "new"] and added.portals[1].family == "gkmlpt"
    assert load_registry(path) == added
    before = path.read_bytes()
    with pytest.raises(RegistryError, match="already used"):
        add_portal(path, new_portal("new", "https://www.new.gov.test/", "440402"))
    assert path.read_bytes() == before


def test_portals_commands(tmp_path):
    path = tmp_path / "portals.toml"
    added = run_cli("portals", "add", "yangli", "http://www.yangli.gov.test/", "--region-code", "510999",
                    "--family", "trs", "--registry", str(path))
    assert added.returncode == 0, added.stderr
    listed = run_cli("portals", "list", "--registry", str(path))  # the national registry, extended by the file
    assert "yangli\ttrs\t510999\t-\thttp://www.yangli.gov.test/\t-" in listed.stdout.splitlines()
    assert len(listed.stdout.splitlines()) == 2845 + 1
    assert run_cli("portals", "check", "--registry", str(path)).stdout.endswith("1 portals, all valid\n")
    path.write_text(path.read_text(encoding="utf-8") + "[[portal]]\nname = \"bad\"\n", encoding="utf-8")
    bad = run_cli("portals", "check", "--registry", str(path))
    assert bad.returncode == 2
    assert bad.stderr == f"error: {path}:7: portal 'bad': missing home, region_code\n"
    missing = run_cli("crawl", "--registry", str(tmp_path / "none.toml"), "--archive", str(tmp_path / "a"))
    assert missing.returncode == 2 and missing.stderr.startswith(f"error: {tmp_path / 'none.toml'}: cannot read")


def test_crawl_by_registry_name_with_a_page_limit_override(tmp_path):
    path = tmp_path / "portals.toml"
    path.write_text(ENTRY.format(name="other", code="510998") + "\n"
                    + ENTRY.format(name="yangli", code="510999") + "max_pages = 3\n", encoding="utf-8")
    archive = tmp_path / "archive"
    with SamplePortal() as portal:
        result = run_cli("crawl", "--registry", str(path), "--portal", "yangli", "--archive", str(archive),
                         "--proxy", portal.url)
        hosts = {host for host, _ in portal.requests}
    assert result.returncode == 0, result.stderr
    run = json.loads(next(archive.glob("runs/*.json")).read_text(encoding="utf-8"))
    (only,) = run["portals"]
    assert only["portal"] == "yangli" and only["finish_reason"] == "closespider_pagecount"
    assert 3 <= only["counts"]["pages_fetched"] <= 3 + 8  # pages already in flight when the limit hits
    assert hosts == {"www.yangli.gov.test"}


def test_the_documented_example_is_valid():
    example = load_registry("portals.example.toml")
    assert [(p.name, p.region_code, p.family) for p in example] == [
        ("pengxi", "510921", "trs"), ("miyun", "110118", None)]
    assert example.portals[1].scrapy_settings() == {"CONCURRENT_REQUESTS_PER_DOMAIN": 1, "DOWNLOAD_DELAY": 2.0}
