"""XPath expressions used by the core, compiled once."""

from lxml import etree

META_BY_NAME = etree.XPath("//meta[@name=$name]/@content")
TITLE = etree.XPath("//title/text()")
H1 = etree.XPath("//h1")
# The 信息公开 metadata table: a small table whose cells name 索引号 or 发布机构.
INFO_TABLES = etree.XPath("//table[.//td[contains(., '索引号') or contains(., '发布机构')]][not(.//table)]")
TABLE_CELLS = etree.XPath("./tr/td|./tr/th|./tbody/tr/td|./tbody/tr/th")
# Innermost tables only: Word-pasted pages wrap the real table in layout tables.
LEAF_TABLES = etree.XPath("//table[not(.//table)]")
TABLE_ROWS = etree.XPath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
ROW_CELLS = etree.XPath("./td|./th")
LINKS = etree.XPath("//a[@href]")
# The page's visible text nodes, where a posting line ("发布时间：2021-01-29") is looked for.
VISIBLE_TEXT = etree.XPath("//body//text()[not(ancestor::script) and not(ancestor::style)]")
