"""The national registry and region selection, on the real GB/T 2260 code list shipped in crawler/data."""

from __future__ import annotations

import pytest

from crawler.export.rows import current_region
from crawler.regions import DATA_DIR, DIVISIONS_FILE, NATIONAL_FILE, RegionError, divisions, region_fields
from crawler.registry import national_registry, parse_registry
from crawler.registrygen import build, candidates
from tests.support.cli import ROOT, run_cli

SHARED_DATA = ROOT.parent / "shared" / "data"
PROVINCES = {  # the 31 provinces and their county-level divisions in use (GB/T 2260, 2024, with 2025's changes)
    "北京市": 16, "天津市": 16, "河北省": 167, "山西省": 117, "内蒙古自治区": 103, "辽宁省": 100, "吉林省": 60,
    "黑龙江省": 121, "上海市": 16, "江苏省": 95, "浙江省": 90, "安徽省": 104, "福建省": 84, "江西省": 100,
    "山东省": 136, "河南省": 157, "湖北省": 103, "湖南省": 122, "广东省": 122, "广西壮族自治区": 111,
    "海南省": 25, "重庆市": 37, "四川省": 183, "贵州省": 88, "云南省": 129, "西藏自治区": 74, "陕西省": 107,
    "甘肃省": 86, "青海省": 44, "宁夏回族自治区": 22, "新疆维吾尔自治区": 110,
}


def counties_in(text: str) -> list[str]:
    region = divisions().region(text)
    return [code for code in divisions().counties() if region.covers(code)]


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data (the public lists) is not on this machine")
def test_the_shipped_files_are_what_the_generator_makes_of_the_lists(tmp_path):
    assert build(SHARED_DATA, tmp_path) == (6824, 2845)
    for name in (DIVISIONS_FILE, NATIONAL_FILE):
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), name


def test_the_shipped_files_are_small():
    assert sum((DATA_DIR / name).stat().st_size for name in (DIVISIONS_FILE, NATIONAL_FILE)) < 1_000_000


def test_candidate_order():
    assert candidates("http://www.a.gov.cn/", "https://www.a.gov.cn/") == ("https://www.a.gov.cn/", [], False)
    assert candidates("https://www.a.gov.cn/", "http://www.a.gov.cn/") == ("https://www.a.gov.cn/", [], False)
    assert candidates("http://www.a.gov.cn/intro.html", "http://www.a.gov.cn/") == ("http://www.a.gov.cn/", [], False)
    assert candidates("http://old.gov.cn/", "https://new.gov.cn/") == ("https://new.gov.cn/", ["http://old.gov.cn/"],
                                                                        True)
    assert candidates(None, None) == (None, [], False)


@pytest.mark.parametrize("province", sorted(PROVINCES))
def test_every_province_by_name_and_code(province):
    by_name = counties_in(province)
    code = divisions().region(province).prefixes[0]
    assert len(code) == 2 and counties_in(code) == by_name == counties_in(code + "0000")
    assert len(by_name) == PROVINCES[province]
    portals = national_registry().in_region(divisions().region(province))
    without = [c for c in national_registry().without_portal if c.startswith(code)]
    assert sorted([p.region_code for p in portals] + without) == by_name


def test_the_national_registry_covers_every_division_in_use():
    registry = national_registry()
    assert len(divisions().counties()) == sum(PROVINCES.values()) == 2845
    assert sorted([p.region_code for p in registry] + list(registry.without_portal)) == divisions().counties()
    assert sorted(registry.without_portal) == ["460302", "460303", "653228", "653229"]  # 西沙 南沙 和康 和安
    assert sum(p.needs_check for p in registry) == 118  # the lists disagree on the host
    assert all(p.region_code == p.name and p.home.startswith(("http://", "https://")) for p in registry)


def test_prefecture_and_county_by_code_and_name():
    assert len(counties_in("3301")) == len(counties_in("杭州市")) == len(counties_in("330100")) == 13
    assert counties_in("330106") == counties_in("浙江省杭州市西湖区") == ["330106"]
    assert counties_in("浙江省/杭州市/西湖区") == counties_in("330106")
    with pytest.raises(RegionError, match=r"names 2 places: 浙江省/杭州市/西湖区 \(330106\), 江西省/南昌市/西湖区"):
        divisions().region("西湖区")
    for bad in ("999999", "3399", "不存在县"):
        with pytest.raises(RegionError):
            divisions().region(bad)


def test_municipality_districts():
    beijing = counties_in("北京市")
    assert beijing == counties_in("1101") and len(beijing) == 16
    assert divisions().place("110105").prefecture == "市辖区"
    assert len(counties_in("5002")) == 12 and divisions().place("500229").prefecture == "县"  # 重庆's counties


def test_directly_administered_county_level_units():
    assert counties_in("河南省/省直辖县级行政单位") == counties_in("4190") == ["419001"]  # 济源市
    assert len(counties_in("海南省省直辖县级行政单位")) == 15
    assert divisions().place("659001").prefecture == "自治区直辖县级行政单位"  # 石河子市
    with pytest.raises(RegionError, match="names 3 places"):
        divisions().region("省直辖县级行政单位")


def test_renamed_and_merged_counties_map_to_their_successors():
    assert counties_in("东郊区") == counties_in("120110") == ["120110"]  # 天津 东郊区 renamed 东丽区 (1992)
    assert divisions().place("130124").county == "栾城区"  # 栾城县 became 栾城区 (2014) with a new code
    assert counties_in("崇文区") == counties_in("110103") == ["110101"]  # merged into 东城区 (2010)
    assert divisions().current("500105") == ("500157",)  # 江北区 into 两江新区 (2025)
    assert current_region("110103") == {"region_code": "110101", "province": "北京市", "prefecture": "市辖区",
                                        "county": "东城区"}
    assert region_fields("110103") == {"region_code": "110103", "province": "北京市", "prefecture": "市辖区",
                                       "county": "东城区"}
    assert current_region(None) == {"region_code": None, "province": None, "prefecture": None, "county": None}


def test_a_users_registry_overrides_by_name_and_by_region():
    own = parse_registry('[[portal]]\nname = "xihu"\nhome = "http://www.xihu.gov.test/"\nregion_code = "330106"\n'
                         '[[portal]]\nname = "330102"\nhome = "http://sc.gov.test/"\nregion_code = "330102"\n'
                         'start_urls = ["http://sc.gov.test/xxgk/nb/"]\n')
    merged = national_registry().extended_by(own)
    hangzhou = {p.region_code: p for p in merged.in_region(divisions().region("杭州市"))}
    assert len(hangzhou) == 13
    assert hangzhou["330106"].name == "xihu" and hangzhou["330102"].home == "http://sc.gov.test/"
    assert hangzhou["330102"].start_urls == ("http://sc.gov.test/xxgk/nb/",)
    assert len(merged) == len(national_registry())


def test_portals_list_by_region_and_in_full():
    zhejiang = run_cli("portals", "list", "--region", "浙江省")
    lines = zhejiang.stdout.splitlines()
    assert zhejiang.returncode == 0 and len(lines) == 90
    assert lines[0].split("\t")[:4] == ["330102", "-", "330102", "浙江省/杭州市/上城区"]
    every = run_cli("portals", "list").stdout.splitlines()
    assert len(every) == 2845
    assert [line.split("\t")[0] for line in every if line.endswith("\tno_portal")] == [
        "460302", "460303", "653228", "653229"]
    ambiguous = run_cli("portals", "list", "--region", "朝阳区")
    assert ambiguous.returncode == 2 and ambiguous.stderr.startswith("error: '朝阳区' names 2 places")
    assert len(ambiguous.stderr.splitlines()) == 1


def test_region_coverage_joins_old_codes_and_marks_counties_without_a_portal():
    from crawler.export.regioncoverage import FOUND, LOOKALIKE_ONLY, MISSING, NO_PORTAL, NOT_CRAWLED, region_coverage

    records = [
        {"is_report": True, "year": 2020, "source": {"region_code": "460105"}},  # 海口 秀英区
        {"is_report": False, "year": 2021, "source": {"region_code": "460105"}},
        {"is_report": True, "year": 2021, "source": {"region_code": "460100"}},  # a prefecture's code: no county
        {"is_report": True, "year": 2021, "source": {"region_code": "110103"}},  # 北京: outside the region
    ]
    coverage = region_coverage(records, divisions().region("海南省"), range(2020, 2023),
                               national_registry().without_portal)
    assert len(coverage.counties()) == 25 and [p.name for p in coverage.prefectures][:2] == ["海口市", "三亚市"]
    assert [coverage.cells["460105", y] for y in (2020, 2021, 2022)] == [FOUND, LOOKALIKE_ONLY, MISSING]
    assert coverage.cells["460302", 2020] == NO_PORTAL and coverage.cells["460106", 2020] == NOT_CRAWLED
    assert coverage.found(coverage.counties(), 2020) == 1
    beijing = region_coverage(records, divisions().region("11"), range(2021, 2022))
    assert beijing.cells["110101", 2021] == FOUND  # 崇文区's old code counts for 东城区
