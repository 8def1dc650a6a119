"""Challenge answers recognised, the farm's challenge portal, and the escalation middleware's decisions."""

from __future__ import annotations

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.core.challenge import challenge_reason
from crawler.downloadermiddlewares.escalation import ChallengeEscalationMiddleware
from crawler.engine.browser import context_options, launch_options, pass_challenge
from sampleportal.farm.app import Request as FarmRequest
from sampleportal.farm.challenge import JIASULE, RUISHU, ChallengePortal, fnv1a
from spiders.meta import CHALLENGE_STAGE as STAGE

HOST = "www.waf.gov.test"
URL = f"http://{HOST}/xxgk/index.html"
ARTICLE = "<html><body>" + "<p>一、总体情况 本年度主动公开政府信息。</p>" * 40 + "</body></html>"


@pytest.mark.parametrize(("challenge", "marker"), [(RUISHU, "$_ts"), (JIASULE, "__jsl_clearance")])
def test_farm_challenge_pages_are_recognised(challenge, marker):
    page = challenge.page("0123456789abcdef")
    assert len(page) < 500
    assert challenge_reason(challenge.status, page) == f"HTTP {challenge.status} with {marker}"


@pytest.mark.parametrize(("status", "body", "reason"), [
    (412, b"", "HTTP 412 with a 0-byte body"),
    (521, b"<html></html>", "HTTP 521 with a 13-byte body"),
    (200, "<html><script>setTimeout(go, 3000)</script>安全验证中，请稍候…</html>".encode("gbk"),
     "HTTP 200: 70-byte scripted page with 请稍候"),
    (200, b"<script>var $_ts={};</script>", "HTTP 200: 29-byte scripted page with $_ts"),
])
def test_challenge_reasons(status, body, reason):
    assert challenge_reason(status, body) == reason


@pytest.mark.parametrize(("status", "body"), [
    (200, ARTICLE.encode()),
    (200, b"User-agent: *\nDisallow: /search/\n"),  # tiny, but not a challenge
    (404, b"<html><body>404</body></html>"),
    (412, ARTICLE.encode()),  # a large 412 without a marker is the server's own error page
    (200, "<html><body><p>访问异常请联系管理员</p></body></html>".encode()),  # no script: an ordinary page
    (200, b"<script>var $_ts={};</script>" + ARTICLE.encode() * 5),  # a whole page that happens to carry $_ts
])
def test_ordinary_answers_are_not_challenges(status, body):
    assert challenge_reason(status, body) is None


@pytest.mark.parametrize("challenge", [RUISHU, JIASULE])
def test_challenge_portal_serves_only_with_the_computed_cookie(challenge):
    portal = ChallengePortal(HOST, challenge)

    def get(cookie: str) -> int:
        return portal.handle(FarmRequest("GET", HOST, "/", "", {"cookie": cookie})).status

    issued = f"{challenge.issued}={portal.nonce}"
    computed = f"{challenge.computed}={challenge.prefix}{fnv1a(portal.nonce)}"
    reply = portal.handle(FarmRequest("GET", HOST, "/", "", {}))
    assert reply.status == challenge.status and ("Set-Cookie", f"{issued}; Path=/; HttpOnly") in reply.headers
    assert get(issued) == challenge.status  # what a cookie jar without JavaScript holds
    assert get(f"{issued}; {challenge.computed}={challenge.prefix}0") == challenge.status
    assert get(f"{issued}; {computed}") == 200


def test_fnv1a_is_the_32_bit_fnv_1a_hash():
    assert fnv1a("") == "811c9dc5" and fnv1a("a") == "e40c292c"  # published FNV-1a test vectors


def middleware(**settings) -> ChallengeEscalationMiddleware:
    crawler = get_crawler(settings_dict={"NIANBAO_BROWSER_ESCALATION": True, "NIANBAO_CHALLENGE_TIMEOUT": 5000,
                                         **settings})
    crawler.stats.open_spider()
    return ChallengeEscalationMiddleware.from_crawler(crawler)


def test_escalation_off_is_not_configured():
    with pytest.raises(NotConfigured):
        middleware(NIANBAO_BROWSER_ESCALATION=False)


def test_challenge_goes_to_the_browser_then_back_to_plain_requests_with_its_cookies():
    mw = middleware()
    request = Request(URL, meta={"depth": 2})
    challenged = HtmlResponse(URL, status=412, body=RUISHU.page("ab"), request=request)
    browser = mw.process_response(request, challenged)
    assert isinstance(browser, Request) and browser.dont_filter and browser.meta["depth"] == 2
    assert browser.meta["playwright"] and browser.meta[STAGE] == "browser"
    (method,) = browser.meta["playwright_page_methods"]
    assert method.method is pass_challenge and method.args == (5000.0,)

    method.result = [{"name": "T", "value": "v", "domain": HOST, "path": "/", "httpOnly": False}]
    rendered = HtmlResponse(URL, status=412, body=ARTICLE.encode(), request=browser, flags=["playwright"])
    plain = mw.process_response(browser, rendered)
    assert isinstance(plain, Request) and plain.dont_filter and plain.meta[STAGE] == "cookies"
    assert plain.cookies == [{"name": "T", "value": "v", "path": "/"}]
    assert not any(key.startswith("playwright") for key in plain.meta) and plain.meta["depth"] == 2

    passed = HtmlResponse(URL, status=200, body=ARTICLE.encode(), request=plain)
    assert mw.process_response(plain, passed) is passed
    assert mw.stats.get_stats() == {"nianbao/challenges": 1, "nianbao/challenges_passed": 1}


def test_a_retry_still_challenged_is_given_up_not_looped():
    mw = middleware()
    request = Request(URL, meta={STAGE: "cookies"})
    challenged = HtmlResponse(URL, status=521, body=JIASULE.page("ab"), request=request)
    assert mw.process_response(request, challenged) is challenged
    assert mw.stats.get_value("nianbao/challenges_failed") == 1


def test_ordinary_and_rendered_answers_pass_through():
    mw = middleware()
    request = Request(URL)
    page = HtmlResponse(URL, status=200, body=ARTICLE.encode(), request=request)
    assert mw.process_response(request, page) is page
    list_page = HtmlResponse(URL, status=200, body=b"<script>var $_ts={}</script>", request=request,
                             flags=["playwright"])  # a page the spider asked the browser for
    assert mw.process_response(request, list_page) is list_page


def test_browser_options_from_settings():
    settings = get_crawler(settings_dict={
        "NIANBAO_CHROMIUM": "/opt/chromium", "NIANBAO_CHROMIUM_ARGS": ["--no-sandbox"], "USER_AGENT": "ua",
        "NIANBAO_PROXY": "http://127.0.0.1:9/", "PLAYWRIGHT_LAUNCH_OPTIONS": {"slow_mo": 5}}).settings
    assert launch_options(settings) == {"executable_path": "/opt/chromium", "headless": True,
                                        "args": ["--no-sandbox"], "slow_mo": 5}
    assert context_options(settings) == {"user_agent": "ua", "proxy": {"server": "http://127.0.0.1:9/"}}


def test_a_browser_answer_without_page_method_result_retries_without_cookies():
    """E.g. the URL turned into a download: nothing earned, so the plain retry meets the challenge and stops."""
    mw = middleware()
    request = Request(URL)
    browser = mw.process_response(request, HtmlResponse(URL, status=412, body=RUISHU.page("ab"), request=request))
    plain = mw.process_response(browser, HtmlResponse(URL, body=b"%PDF-", request=browser, flags=["playwright"]))
    assert isinstance(plain, Request) and not plain.cookies and plain.meta[STAGE] == "cookies"
