"""What one farm portal publishes: its units and, per unit and year, the entries of its report columns.

Entries are small descriptors built at startup (no page is rendered until requested). Everything
about an entry — its id, posting date, file type, title — comes from a ``random.Random`` seeded with
(farm seed, portal, unit, year, role), never from its position, so a farm published with one more
year (``--years 2008-2025``) serves every older page byte for byte as before.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sampleportal import reportgen
from sampleportal.catalog import seed_document
from sampleportal.reportgen import Report

DEPARTMENTS = ("财政局", "教育局", "公安局", "民政局", "卫生健康局", "自然资源局", "生态环境局", "住房和城乡建设局",
               "交通运输局", "水利局", "农业农村局", "商务局", "文化广电旅游局", "应急管理局", "市场监督管理局",
               "统计局", "医疗保障局", "司法局", "人力资源和社会保障局", "审计局")
SYLLABLES = "东西南北青石桥河山湖林泉安宁平和新兴永乐长丰龙凤金玉白云华阳清溪松柏梅竹"
MAX_UNITS = 1 + len(DEPARTMENTS) + len(SYLLABLES) * (len(SYLLABLES) - 1)
# Attachment-only reports, by share: the rest are inline HTML (docs/PORTALS.md "Formats of the report itself").
# One roll picks the kind by these shares in order: a kind added at the end only turns inline reports into files.
FILE_KINDS = (("pdf", 0.08), ("docx", 0.05), ("xls", 0.03), ("xlsx", 0.03), ("doc", 0.03))
GOVERNMENT_KINDS = ("html", "pdf", "docx", "xls", "xlsx", "doc")  # by year, for the government's own reports
# Look-alikes filed in the same columns (docs/FORMATS.md "Hazards"; docs/PORTALS.md "Where the reports live").
LOOKALIKES = ("workplan", "notice", "template", "communique", "work-report", "news")
# The five real seeds (sampleportal/seeds): publisher, level, reporting year, posting date, title when the
# seed's own first line is not the title.
SEEDS: dict[str, tuple[str, str, int, date, str | None]] = {
    "000_a548a34bccc868de.txt": ("北京市密云区人民政府", "government", 2017, date(2018, 3, 22), None),
    "001_5e7b7750513ba6ef.txt": ("蓬溪县人民政府办公室", "department", 2019, date(2020, 1, 20),
                                 "蓬溪县政府办公室2019年度政府信息公开工作报告"),
    "002_5ec431ede201274a.txt": ("阿拉山口市人民政府办公室", "government", 2016, date(2017, 3, 15),
                                 "阿拉山口市人民政府2016年政府信息公开工作年度报告"),
    "003_c2e2148ac72f28cc.txt": ("陶然亭街道办事处", "subdistrict", 2017, date(2018, 1, 26), None),
    "004_b722d12b70247cc9.txt": ("云城区人民政府办公室", "government", 2018, date(2019, 2, 28), None),
}


@dataclass(frozen=True, slots=True)
class Unit:
    name: str  # the issuing body as printed, e.g. "青山县财政局"
    level: str  # government | department | township | subdistrict


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of a report column: a report (inline or one file), a seed, a look-alike or a broken link."""

    id: int  # stable: hashed from the farm seed, portal, unit, year and role
    unit: Unit
    year: int  # the reporting year (a look-alike's own year)
    posted: date  # the posting date, in URLs and lists; not the report year
    role: str  # report | seed | lookalike | deleted | soft404
    kind: str = "html"  # html | pdf | docx | doc | xls | xlsx: what carries the report
    variant: str = ""  # the look-alike type, or the seed file name
    title: str = ""
    moved: bool = False  # listed at an old URL that answers 301 to its current one
    pages: int = 1  # a long report split over article pages (TRS t…_1.html)

    @property
    def is_report(self) -> bool:
        return self.role in ("report", "seed")


def stable_int(*parts: object, digits: int = 12) -> int:
    digest = hashlib.sha256(":".join(map(str, parts)).encode("utf-8")).hexdigest()
    return int(digest, 16) % 10**digits


def units(county: str, count: int) -> tuple[Unit, ...]:
    """The government, then departments, townships and subdistricts in turn (``count`` ≤ MAX_UNITS)."""
    if not 1 <= count <= MAX_UNITS:
        raise ValueError(f"units must be 1..{MAX_UNITS}")
    made = [Unit(f"{county}人民政府", "government")]
    departments = iter(DEPARTMENTS)
    places = (a + b for a in SYLLABLES for b in SYLLABLES if a != b)
    while len(made) < count:
        turn = len(made) % 3
        department = next(departments, None) if turn == 1 else None
        if department:
            made.append(Unit(county + department, "department"))
        elif turn == 2:
            made.append(Unit(f"{county}{next(places)}镇人民政府", "township"))
        else:
            made.append(Unit(f"{county}{next(places)}街道办事处", "subdistrict"))
    return tuple(made)


def report_format(year: int) -> str:
    """The form a year's report is printed on (docs/FORMATS.md "Legal frame")."""
    return "pre2019" if year < 2019 else ("2019" if year < 2021 else "2021")


def report_title(unit: Unit, year: int, rng: random.Random) -> str:
    """Title spellings seen on portals (docs/PORTALS.md "Titles")."""
    return rng.choice((
        f"{unit.name}{year}年政府信息公开工作年度报告",
        f"{unit.name}{year}年政府信息公开工作年度报告",
        f"{unit.name}{year}年度政府信息公开工作报告",
        f"{unit.name}{year}年信息公开年度报告",
        f"{unit.name}{year}年政府信息公开年报",
    ))


def lookalike_title(variant: str, county: str, year: int) -> str:
    return {
        "workplan": f"关于印发{county}{year}年政务公开工作要点的通知",
        "notice": f"关于做好{year}年度政府信息公开工作年度报告编制工作的通知",
        "template": f"政府信息公开工作年度报告范文（{year}年版）",
        "communique": f"{county}{year}年国民经济和社会发展统计公报",
        "work-report": f"{county}{year}年政府工作报告",
        "news": f"{county}召开{year}年度政务公开工作培训会",
    }[variant]


@lru_cache(maxsize=256)
def report_of(entry: Entry, seed: int) -> Report:
    """The generated report an entry publishes: numbers from the entry's own seed, its unit and year."""
    rng = random.Random(f"{seed}:report:{entry.id}")
    generated = reportgen.generate(rng, report_format(entry.year))
    return Report(agency=entry.unit.name, year=entry.year, format=generated.format, title=entry.title,
                  stats=generated.stats, tables=generated.tables)


class World:
    """The entries of one portal for a farm seed, a unit count and a year range."""

    def __init__(self, portal: str, county: str, seed: int, unit_count: int, years: range,
                 seeds: tuple[str, ...] = ()) -> None:
        self.portal, self.county, self.seed, self.years = portal, county, seed, years
        self.units = units(county, unit_count)
        entries = [entry for unit in self.units for year in years for entry in self._entries(unit, year)]
        entries += [self._seed(name) for name in seeds]
        self.entries = sorted(entries, key=lambda e: (e.posted, e.id), reverse=True)
        self.by_id = {entry.id: entry for entry in self.entries}
        if len(self.by_id) != len(self.entries):
            raise ValueError(f"{portal}: entry id collision; choose another seed")

    def _rng(self, *parts: object) -> random.Random:
        return random.Random(":".join(map(str, (self.seed, self.portal, *parts))))

    def _entries(self, unit: Unit, year: int) -> list[Entry]:
        rng = self._rng(unit.name, year)
        month = 1 if unit.level == "department" else rng.randint(2, 3)  # deadlines: 1月31日 / 3月31日
        posted = date(year + 1, month, rng.randint(1, 28))
        if year < 2019 and rng.random() < 0.05:  # re-posted years later (docs/FORMATS.md: the URL date is not the year)
            posted = date(year + rng.randint(2, 4), rng.randint(1, 12), rng.randint(1, 28))
        roll, kind = rng.random(), "html"
        for name, share in FILE_KINDS:
            if roll < share:
                kind = name
                break
            roll -= share
        moved, long = rng.random() < 0.03, rng.random() < 0.1
        if unit.level == "government":  # every feature on every portal, however small the farm
            kind, moved, long = GOVERNMENT_KINDS[year % len(GOVERNMENT_KINDS)], year % 4 == 1, year % 4 == 2
        entry = Entry(stable_int(self.seed, self.portal, unit.name, year, "report"), unit, year, posted, "report",
                      kind, title=report_title(unit, year, rng), moved=moved, pages=2 if long and kind == "html" else 1)
        made = [entry]
        if unit.level == "government":
            variant = LOOKALIKES[year % len(LOOKALIKES)]
            made.append(Entry(stable_int(self.seed, self.portal, year, variant), unit, year,
                              date(year, rng.randint(3, 11), rng.randint(1, 28)), "lookalike",
                              variant=variant, title=lookalike_title(variant, self.county, year)))
            if year % 5 == 0:  # broken links under report titles: deleted, and soft 404 with status 200
                for role in ("deleted", "soft404"):
                    made.append(Entry(stable_int(self.seed, self.portal, year, role), unit, year,
                                      date(year + 1, 4, rng.randint(1, 28)), role,
                                      title=f"{unit.name}{year}年政府信息公开工作年度报告"))
        return made

    def _seed(self, name: str) -> Entry:
        publisher, level, year, posted, title = SEEDS[name]
        return Entry(stable_int(self.seed, self.portal, name), Unit(publisher, level), year, posted, "seed",
                     variant=name, title=title or seed_document(name).title or "")

    def report(self, entry: Entry) -> Report:
        return report_of(entry, self.seed)
