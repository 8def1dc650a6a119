"""HTML of a TRS WCM style county portal: home, 信息公开 hub, paged column, article, 404."""

from __future__ import annotations

from html import escape

from sampleportal.catalog import SITE_NAME, Article
from sampleportal.seedtext import Paragraph, SeedDocument, Table

COLUMN = "/xxgk/zfxxgknb/"

_NAV = (
    '<div class="header"><div class="logo"><a href="/">' + SITE_NAME + "</a></div>"
    '<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwdt/index.html">政务动态</a></li>'
    '<li><a href="/xxgk/index.html">信息公开</a></li><li><a href="/bsfw/index.html">办事服务</a></li>'
    '<li><a href="/hdjl/index.html">互动交流</a></li></ul>'
    '<form action="/search/" method="get"><input name="q"><button>搜索</button></form></div>'
)
_FOOTER = (
    '<div class="footer"><p><a href="http://www.gov.cn/" target="_blank">中国政府网</a> '
    '<a href="http://www.example-province.gov.cn/" target="_blank">省人民政府</a></p>'
    "<p>主办：" + SITE_NAME + "办公室　承办：样例县大数据中心　网站标识码：9999000001</p>"
    "<p>ICP备案号：示ICP备00000001号　联系电话：0000-1234567</p></div>"
)


def _page(title: str, body: str, charset: str = "utf-8", extra_head: str = "") -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head>"
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        f"<title>{escape(title)}</title>{extra_head}</head>\n<body>{_NAV}\n{body}\n{_FOOTER}"
        '\n<script src="/js/common.js"></script></body></html>\n'
    )


def home_page() -> str:
    body = (
        '<div class="banner"><img src="/images/banner.jpg" alt="' + SITE_NAME + '"></div>'
        '<div class="news"><h2>政务要闻</h2><ul>'
        '<li><a href="/zwdt/202011/t20201120_1049001.html">县政府召开第十次常务会议</a><span>2020-11-20</span></li>'
        '<li><a href="/zwdt/202011/t20201118_1048990.html">我县开展安全生产大检查</a><span>2020-11-18</span></li>'
        "</ul></div>"
        '<div class="gk"><h2><a href="/xxgk/index.html">政府信息公开</a></h2>'
        '<a href="/xxgk/index.html">信息公开目录</a></div>'
    )
    return _page(SITE_NAME, body)


def hub_page() -> str:
    links = [
        ("/xxgk/zfxxgkzn/index.html", "政府信息公开指南"),
        ("/xxgk/zfxxgkzd/index.html", "政府信息公开制度"),
        ("/xxgk/fdzdgknr/index.html", "法定主动公开内容"),
        (COLUMN + "index.html", "政府信息公开年报"),
    ]
    items = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    body = (
        '<div class="location">当前位置：<a href="/">首页</a> &gt; 信息公开</div>'
        f'<div class="xxgk-nav"><h2>信息公开</h2><ul>{items}</ul></div>'
    )
    return _page(f"信息公开_{SITE_NAME}", body)


def column_page(entries: list[Article], page: int, page_count: int) -> str:
    rows = "".join(
        f'<li><a href=".{a.path[len(COLUMN) - 1:]}" target="_blank" title="{escape(a.title)}">'
        f"{escape(a.title)}</a><span>{a.posted}</span></li>"
        for a in entries
    )
    body = (
        '<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/index.html">信息公开</a>'
        " &gt; 政府信息公开年报</div>"
        f'<div class="list"><h2>政府信息公开年报</h2><ul>{rows}</ul></div>'
        '<div class="page"><script type="text/javascript">'
        f'var countPage = {page_count};createPageHTML({page_count}, {page}, "index", "html");'
        "</script></div>"
    )
    return _page(f"政府信息公开年报_{SITE_NAME}", body)


def article_page(article: Article) -> str:
    charset = article.meta_charset or article.charset
    head = (
        f'<meta name="ArticleTitle" content="{escape(article.title)}">'
        f'<meta name="PubDate" content="{article.posted} 09:30">'
        f'<meta name="ContentSource" content="{SITE_NAME}办公室">'
        '<meta name="ColumnName" content="政府信息公开年报">'
    )
    meta_table = (
        '<table class="xxgk-info">'
        f"<tr><td>索引号：</td><td>000000000/{article.posted[:4]}-{article.article_id % 100000:05d}</td>"
        "<td>分类：</td><td>政府信息公开年报</td></tr>"
        f"<tr><td>发布机构：</td><td>{escape(article.publisher)}</td>"
        f"<td>发布日期：</td><td>{article.posted}</td></tr>"
        f'<tr><td>名称：</td><td colspan="3">{escape(article.title)}</td></tr>'
        "<tr><td>文号：</td><td></td><td>主题词：</td><td></td></tr></table>"
    )
    body = (
        '<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/index.html">信息公开</a>'
        f' &gt; <a href="{COLUMN}index.html">政府信息公开年报</a></div>'
        f"{meta_table}"
        f'<div class="article"><h1>{escape(article.title)}</h1>'
        f'<div class="info">发布时间：{article.posted} 09:30　来源：{SITE_NAME}办公室　'
        '【字号：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> '
        '<a href="javascript:doZoom(14)">小</a>】</div>'
        f'<div class="TRS_Editor" id="zoom">{_body_html(article)}</div>'
        '<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>'
        '<div class="tools"><a href="javascript:window.print()">打印本页</a> '
        '<a href="javascript:window.close()">关闭窗口</a> <a href="#top">TOP</a></div></div>'
    )
    return _page(f"{article.title}_{SITE_NAME}", body, charset=charset, extra_head=head)


def not_found_page() -> str:
    return _page("404", '<div class="error"><p>您访问的页面不存在或已被删除。</p></div>')


def _body_html(article: Article) -> str:
    """The report inline, or for an attachment-only article just the link (two styles portals use)."""
    if not article.attachment:
        return blocks_html(article.document)
    name = escape(article.title + "." + article.attachment_path.rsplit(".", 1)[1])
    href = "./" + article.attachment_path.rsplit("/", 1)[1]
    if article.article_id % 2:
        return f'<div class="download">文件下载：<a href="{href}" target="_blank">{name}</a></div>'
    return f'<p>附件：<a href="{href}">{name}</a></p>'


def blocks_html(document: SeedDocument) -> str:
    """A seed document's paragraphs and tables as article HTML."""
    parts = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            parts.append(f'<p style="text-indent:2em">{escape(block.text)}</p>')
        elif isinstance(block, Table):
            parts.append(_table_html(block))
    return "\n".join(parts)


def _table_html(table: Table) -> str:
    width = max(len(row) for row in table.rows)
    rows = []
    for row in table.rows:
        # Short rows are padded with empty cells, as the seed's text printed them: a colspan on the
        # last cell would repeat its number across columns it does not belong to.
        cells = [f"<td>{escape(cell)}</td>" for cell in row] + ["<td></td>"] * (width - len(row))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table border="1" cellspacing="0" cellpadding="0">' + "".join(rows) + "</table>"
