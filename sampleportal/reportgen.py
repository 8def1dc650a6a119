"""Deterministic synthetic 政府信息公开工作年度报告 with known statistics.

API (all a caller needs)::

    from sampleportal.reportgen import generate
    report = generate(random.Random(7), fmt="2021")   # fmt: "2019" | "2021" | "pre2019" | None (random)
    generate(rng, "2021", variants={"traditional", "no-total"})  # printed variants, see VARIANTS
    report.stats            # the true stats, keys exactly as docs/FORMATS.md "Stats keys"
    report.html(soup=True, split_headers=True)   # a full HTML page with real <table>s
    report.pipe_text()      # tables as "a | b | c" rows (seed 001 shape)
    report.tab_text()       # one tab-led cell per line, rows split by blank lines (seed 003 shape)
    report.cell_lines_text()  # one "cell |" per line (seed 002 shape)
    report.flat_pipes_text()  # a table's cells on one line between pipes, rows not marked
    report.cell_paragraphs_text()  # one cell per paragraph, long labels wrapped
    report.wps_pdf()        # PDF bytes laid out as WPS prints the templates (spans, page breaks, repeated headers)
    report.glued_text()     # each table's cells glued into one line ("规章000规范性文件898989"; 2019/2021)

``VARIANTS`` change only how labels are printed, never the true stats keys: ``traditional`` (繁体
labels), ``legacy-label`` (2021 tables printing 规范性文件 for 行政规范性文件), ``extra-row`` (a local
表二 row 其他主动公开文件), ``no-total`` (表三 and 表四 without their 总计 columns).

Numbers are internally consistent (docs/FORMATS.md checks 1-4 hold) unless ``inconsistent=True``, which
adds 1 to 表三 （七）总计/总计 so that checks 1 and 2 fail. Tables are kept as printed rows of
``Cell``s (spans not expanded), so HTML and text renderings come from the same rows.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass

from crawler.core.cellvalues import read_value
from crawler.core.forms import APPLICANTS, OUTCOMES_2021, PRE2019_NATIONAL, REVIEW_COLUMNS, TABLE2_2019, outcome_rows
from crawler.core.labels import split_ordinal
from crawler.core.normalize import to_traditional
from sampleportal.docfiles import wps_pdf_bytes
from sampleportal.seedtext import Paragraph, SeedDocument, Table

COUNTIES = ("蓬溪县", "云城区", "样例县", "青山区", "河西镇", "东湖街道", "南平县", "北川县")
SECTIONS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
ORDINALS = "一二三四五六七八九十"
VARIANTS = frozenset({"traditional", "legacy-label", "extra-row", "no-total"})


@dataclass(frozen=True)
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


Rows = tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Report:
    agency: str
    year: int
    format: str
    title: str
    stats: dict[str, int | float | None]
    tables: tuple[tuple[str, Rows], ...]  # (heading printed before the table, printed rows)

    def html(self, soup: bool = False, split_headers: bool = False) -> str:
        """A whole article page; ``soup`` wraps cells in Word markup, ``split_headers`` breaks labels with <br>."""
        return (f"<html><head><meta charset='utf-8'><title>{html.escape(self.title)}</title>"
                f"<meta name='ArticleTitle' content='{html.escape(self.title)}'></head>"
                f"<body><div class='article'>{''.join(self.body_parts(soup, split_headers))}</div></body></html>")

    def body_parts(self, soup: bool = False, split_headers: bool = False) -> list[str]:
        """The article body as HTML blocks: the title, each heading with its table, the closing sections
        (a portal splitting a long report over pages cuts between blocks)."""
        parts = [f"<p>{html.escape(self.title)}</p>"]
        for heading, rows in self.tables:
            body = "".join("<tr>" + "".join(_td(c, soup, split_headers) for c in row) + "</tr>" for row in rows)
            parts.append(f'<p>{html.escape(heading)}</p><table border="1" class="MsoNormalTable">{body}</table>')
        parts.append(f"<p>{SECTIONS[4]}</p><p>人员力量仍需加强。</p><p>{SECTIONS[5]}</p><p>无。</p>")
        return parts

    def document(self) -> SeedDocument:
        """The report as blocks for the attachment writers (docfiles): merged cells repeated into a full grid,
        as Word and WPS tables come out of a PDF or DOCX reader."""
        blocks: list[Paragraph | Table] = [Paragraph(self.title)]
        for heading, rows in self.tables:
            blocks += [Paragraph(heading), Table(_expanded(rows))]
        return SeedDocument(title=self.title, blocks=tuple(blocks))

    def pipe_text(self) -> str:
        """Rows padded with empty cells to the widest printed row, as portals' text exports do."""

        def render(rows: Rows) -> str:
            width = max(len(row) for row in rows)
            return "\n".join(" | ".join([c.text for c in row] + [""] * (width - len(row))) + " |" for row in rows)

        return self._text(render)

    def tab_text(self) -> str:
        return self._text(lambda rows: "\n\n".join("\n".join("\t" + c.text for c in row) for row in rows))

    def cell_lines_text(self) -> str:
        return self._text(lambda rows: "\n".join(f"{c.text} |" for row in rows for c in row))

    def flat_pipes_text(self) -> str:
        """Every cell of a table on one line between pipes, rows not marked (a page whose table a text
        extractor joined into one paragraph)."""
        return self._text(lambda rows: " | ".join(c.text for row in rows for c in row) + " |")

    def cell_paragraphs_text(self) -> str:
        """One cell per paragraph, long labels wrapped over two lines (a Word table pasted as text)."""
        def wrapped(text: str) -> str:
            return text if len(text) < 16 or read_value(text) else f"{text[:12]}\n{text[12:]}"

        return self._text(lambda rows: "\n\n".join(wrapped(c.text) for row in rows for c in row))

    def wps_pdf(self) -> bytes:
        """The report as a WPS-made PDF: spanned cells, tables over page breaks with repeated headers."""
        return wps_pdf_bytes(self.title, [(heading, *spanned(rows)) for heading, rows in self.tables])

    def glued_text(self) -> str:
        if self.format == "pre2019":
            raise ValueError("glued text is not read back for the pre2019 统计表 (its labels carry digits)")
        return self._text(lambda rows: "".join(c.text for row in rows for c in row))

    def _text(self, render) -> str:
        parts = [self.title]
        for heading, rows in self.tables:
            parts += [heading, render(rows)]
        parts += [SECTIONS[4], "人员力量仍需加强。", SECTIONS[5], "无。"]
        return "\n".join(parts) + "\n"


def _td(cell: Cell, soup: bool, split: bool) -> str:
    text = html.escape(cell.text)
    if split and len(cell.text) >= 4 and read_value(cell.text) is None:
        text = text[:2] + "<br>" + text[2:]
    if soup:
        text = (f'<p class="MsoNormal" align="center"><span style="font-size:10.5pt;font-family:宋体">'
                f'<font face="宋体">{text}</font></span><span lang="EN-US"></span></p>')
    spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
        f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
    return f"<td{spans}>{text}</td>"


def generate(rng: random.Random, fmt: str | None = None, inconsistent: bool = False,
             variants: frozenset[str] | set[str] = frozenset()) -> Report:
    if not set(variants) <= VARIANTS:
        raise ValueError(f"unknown variants {set(variants) - VARIANTS}")
    fmt = fmt or rng.choice(("pre2019", "2019", "2021"))
    year = {"pre2019": rng.randint(2009, 2018), "2019": rng.randint(2019, 2022), "2021": rng.randint(2021, 2024)}[fmt]
    agency = rng.choice(COUNTIES) + "人民政府"
    title = f"{agency}{year}年政府信息公开工作年度报告"
    stats: dict[str, int | float | None] = {}
    if fmt == "pre2019":
        tables = (("附件：政府信息公开情况统计表", _pre2019(rng, stats, local=rng.random() < 0.5)),)
    else:
        table2 = _table2_2021(rng, stats, variants) if fmt == "2021" else _table2_2019(rng, stats, variants)
        total = "no-total" not in variants
        tables = (
            (SECTIONS[1], table2),
            (SECTIONS[2], _table3(rng, stats, fmt, inconsistent, subtotal=rng.random() < 0.3, total=total)),
            (SECTIONS[3], _table4(rng, stats, total)),
        )
    if "traditional" in variants:
        tables = tuple((to_traditional(heading), _traditional(rows)) for heading, rows in tables)
    return Report(agency=agency, year=year, format=fmt, title=title, stats=stats, tables=tables)


def _positions(rows: Rows) -> list[tuple[int, int, Cell]]:
    """Each printed cell with the grid row and column of its top-left corner (spans skipped over)."""
    taken: set[tuple[int, int]] = set()
    found = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            taken.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            found.append((r, c, cell))
            c += cell.colspan
    return found


def _expanded(rows: Rows) -> tuple[tuple[str, ...], ...]:
    """Rows with every rowspan/colspan filled by the spanning cell's text."""
    grid: dict[tuple[int, int], str] = {}
    for r, c, cell in _positions(rows):
        for dr in range(cell.rowspan):
            for dc in range(cell.colspan):
                grid[r + dr, c + dc] = cell.text
    width = 1 + max(c for _, c in grid)
    return tuple(tuple(grid.get((r, c), "") for c in range(width)) for r in range(len(rows)))


def spanned(rows: Rows) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """Rows on a full grid with each merged cell's text in its top-left corner only (the covered cells
    empty), and the merged cells as (first row, first column, last row, last column)."""
    positions = _positions(rows)
    width = max(c + cell.colspan for _, c, cell in positions)
    grid = [[""] * width for _ in rows]
    for r, c, cell in positions:
        grid[r][c] = cell.text
    spans = [(r, c, r + cell.rowspan - 1, c + cell.colspan - 1) for r, c, cell in positions
             if cell.rowspan > 1 or cell.colspan > 1]
    return grid, spans


def _traditional(rows: Rows) -> Rows:
    return tuple(tuple(c if read_value(c.text) else Cell(to_traditional(c.text), c.rowspan, c.colspan) for c in row)
                 for row in rows)


def _count(rng: random.Random, high: int = 9) -> int:
    return rng.choice((0, 0, rng.randint(0, high), rng.randint(0, high * 20)))


def _table2_2021(rng: random.Random, stats: dict, variants: frozenset[str] | set[str]) -> Rows:
    rows: list[tuple[Cell, ...]] = []
    cols = ("本年制发件数", "本年废止件数", "现行有效件数")
    rows += [(Cell("第二十条第（一）项", colspan=4),), (Cell("信息内容"), *(Cell(c) for c in cols))]
    for label in ("规章", "行政规范性文件", *(("其他主动公开文件",) if "extra-row" in variants else ())):
        values = [_count(rng), _count(rng), _count(rng, 90)]
        printed = "规范性文件" if label == "行政规范性文件" and "legacy-label" in variants else label
        rows.append((Cell(printed), *(Cell(str(v)) for v in values)))
        stats.update({f"{label}/{c}": v for c, v in zip(cols, values, strict=True)})
    decisions = "本年处理决定数量"
    for item, labels, col in (("五", ("行政许可",), decisions), ("六", ("行政处罚", "行政强制"), decisions),
                              ("八", ("行政事业性收费",), "本年收费金额（单位：万元）")):
        rows += [(Cell(f"第二十条第（{item}）项", colspan=4),), (Cell("信息内容"), Cell(col, colspan=3))]
        for label in labels:
            value: int | float | None = round(rng.randint(0, 9999) / 100, 2) if item == "八" else _count(rng, 999)
            raw = str(value)
            if rng.random() < 0.15:
                value, raw = None, rng.choice(("/", "—", "无"))
            rows.append((Cell(label), Cell(raw, colspan=3)))
            stats[f"{label}/{col}"] = value
    return tuple(rows)


def _table2_2019(rng: random.Random, stats: dict, variants: frozenset[str] | set[str]) -> Rows:
    rows: list[tuple[Cell, ...]] = []
    extra = ("其他主动公开文件",) if "extra-row" in variants else ()
    (first_item, first_cols, first_rows), *rest = TABLE2_2019
    for item, cols, labels in ((first_item, first_cols, (*first_rows, *extra)), *rest):
        widths = (1,) * (len(cols) - 1) + (4 - len(cols),)
        rows.append((Cell(f"第二十条第（{item}）项", colspan=4),))
        rows.append((Cell("信息内容"), *(Cell(c, colspan=w) for c, w in zip(cols, widths, strict=True))))
        for label in labels:
            cells = [Cell(label)]
            for col, width in zip(cols, widths, strict=True):
                value, raw = _value_2019(rng, col)
                cells.append(Cell(raw, colspan=width))
                stats[f"{label}/{col}"] = value
            rows.append(tuple(cells))
    return tuple(rows)


def _value_2019(rng: random.Random, col: str) -> tuple[int | float | None, str]:
    if col == "本年增/减":
        delta = rng.randint(-20, 20)
        return delta, f"{delta:+d}" if delta else "0"
    if col == "采购总金额":
        if rng.random() < 0.5:
            yuan = rng.randint(0, 900000)
            return yuan, f"{yuan}元"
        wan = round(rng.randint(0, 99999) / 1000, 3)
        return wan, f"{wan}万元"
    value = _count(rng, 99)
    return value, str(value)


def _table3(rng: random.Random, stats: dict, fmt: str, inconsistent: bool, subtotal: bool, total: bool) -> Rows:
    cols = (*APPLICANTS, *(("法人或其他组织小计",) if subtotal else ()), *(("总计",) if total else ()))
    outcomes = [(name, subs if fmt == "2021" or name != "其他处理" else ()) for name, subs in OUTCOMES_2021]
    leaves = outcome_rows(fmt)  # row paths as keyed in stats
    table: dict[tuple[str, ...], list[int]] = {leaf: [_count(rng, 3) for _ in APPLICANTS] for leaf in leaves}
    done = [sum(table[leaf][k] for leaf in leaves) for k in range(6)]
    carried_out = [_count(rng, 3) for _ in APPLICANTS]
    carried_in = [rng.randint(0, d + o) for d, o in zip(done, carried_out, strict=True)]
    new = [d + o - i for d, o, i in zip(done, carried_out, carried_in, strict=True)]
    table |= {("本年新收政府信息公开申请数量",): new, ("上年结转政府信息公开申请数量",): carried_in,
              ("本年度办理结果", "总计"): done, ("结转下年度继续办理",): carried_out}
    full = {path: [*v, *([sum(v[1:])] if subtotal else []), *([sum(v)] if total else [])]
            for path, v in table.items()}
    if inconsistent:
        full[("本年度办理结果", "总计")][-1] += 1  # the 总计 column, or 其他/小计 when there is none
    for path, values in full.items():
        stats.update({"/".join((*path, col)): v for col, v in zip(cols, values, strict=True)})
    corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    rows: list[tuple[Cell, ...]] = [
        (Cell(corner, rowspan=3, colspan=3), Cell("申请人情况", colspan=len(cols))),
        (Cell("自然人", rowspan=2), Cell("法人或其他组织", colspan=len(cols) - 1 - total),
         *((Cell("总计", rowspan=2),) if total else ())),
        tuple(Cell(c) for c in cols[1:len(cols) - total]),
    ]

    def data(path: tuple[str, ...]) -> tuple[Cell, ...]:
        return tuple(Cell(str(v)) for v in full[path])

    rows += [(Cell("一、本年新收政府信息公开申请数量", colspan=3), *data(("本年新收政府信息公开申请数量",))),
             (Cell("二、上年结转政府信息公开申请数量", colspan=3), *data(("上年结转政府信息公开申请数量",)))]
    block: list[tuple[Cell, ...]] = []
    for n, (name, subs) in enumerate([*outcomes, ("总计", ())]):
        label = Cell(f"（{ORDINALS[n]}）{name}", rowspan=max(len(subs), 1), colspan=1 if subs else 2)
        short = name.split("（")[0]
        if not subs:
            block.append((label, *data(("本年度办理结果", short))))
        for k, sub in enumerate(subs):
            first = (label,) if k == 0 else ()
            block.append((*first, Cell(f"{k + 1}.{sub}"), *data(("本年度办理结果", short, sub))))
    block[0] = (Cell("三、本年度办理结果", rowspan=len(block)), *block[0])
    rows += block
    rows.append((Cell("四、结转下年度继续办理", colspan=3), *data(("结转下年度继续办理",))))
    return tuple(rows)


def _table4(rng: random.Random, stats: dict, total: bool) -> Rows:
    values: list[int] = []
    cols = REVIEW_COLUMNS if total else REVIEW_COLUMNS[:4]
    n = len(cols)
    for group in ("行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉"):
        parts = [_count(rng, 3) for _ in range(4)]
        group_values = [*parts, sum(parts)][:n]
        stats.update({f"{group}/{col}": v for col, v in zip(cols, group_values, strict=True)})
        values += group_values
    return (
        (Cell("行政复议", colspan=n), Cell("行政诉讼", colspan=2 * n)),
        (*(Cell(c, rowspan=2) for c in cols), Cell("未经复议直接起诉", colspan=n), Cell("复议后起诉", colspan=n)),
        tuple(Cell(c) for c in cols * 2),
        tuple(Cell(str(v)) for v in values),
    )


def _pre2019(rng: random.Random, stats: dict, local: bool) -> Rows:
    header = ("指标名称", "计量单位", "本年度", "历年累计") if local else ("统计指标", "单位", "统计数")
    rows = [tuple(Cell(h) for h in header)]
    for name, unit in PRE2019_NATIONAL:
        key = split_ordinal(name)[1]
        if unit == "——":
            rows.append((Cell(name), *(Cell("——") for _ in header[1:])))
            continue
        value = _count(rng, 999)
        cells = [Cell(name), Cell(unit), Cell(str(value))]
        stats[key] = value
        if local:
            total = value + rng.randint(0, 5000)
            cells.append(Cell(str(total)))
            stats[f"{key}/历年累计"] = total
        rows.append(tuple(cells))
    return tuple(rows)
