"""Warm reader children: reused across documents, replaced after a timeout or a death, thread-safe."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from crawler.core.readers import pool as pool_module
from crawler.core.readers.common import Limits, UnreadableDocument
from crawler.core.readers.pool import ReaderPool
from sampleportal import docfiles
from sampleportal.seedtext import Paragraph, SeedDocument

SMALL = SeedDocument(title="样例县2019年政府信息公开工作年度报告",
                     blocks=(Paragraph("本年度主动公开政府信息1234条。"),))
SLOW = SeedDocument(title="x", blocks=tuple(Paragraph("政府信息公开" * 40) for _ in range(400)))


@pytest.fixture
def pool():
    readers = ReaderPool()
    yield readers
    readers.close()


def children(readers: ReaderPool) -> list:
    return [child for idle in readers._idle.values() for child in idle]


def test_one_child_serves_many_documents(pool):
    body = docfiles.pdf_bytes(SMALL)
    texts = [pool.read("pdf", body, Limits())["text"] for _ in range(3)]
    assert all("1234条" in text for text in texts)
    (child,) = children(pool)
    assert child.served == 3


def test_a_timed_out_child_is_killed_and_replaced(pool):
    with pytest.raises(UnreadableDocument, match=r"timed out after 0\.2s"):
        pool.read("pdf", docfiles.pdf_bytes(SLOW), Limits(timeout_s=0.2))
    assert children(pool) == []
    assert "1234条" in pool.read("pdf", docfiles.pdf_bytes(SMALL), Limits())["text"]


def test_a_child_that_dies_gives_a_reason_and_the_next_read_works(pool):
    pool.read("pdf", docfiles.pdf_bytes(SMALL), Limits())
    (child,) = children(pool)
    child.process.kill()
    child.process.wait()
    assert "1234条" in pool.read("pdf", docfiles.pdf_bytes(SMALL), Limits())["text"]  # the dead one is skipped


def test_children_are_retired_after_their_quota(pool, monkeypatch):
    monkeypatch.setattr(pool_module, "RECYCLE_AFTER", 2)
    body = docfiles.docx_bytes(SMALL)
    first = [pool.read("docx", body, Limits()) for _ in range(2)]
    assert children(pool) == [] and all("1234条" in r["text"] for r in first)


def test_concurrent_reads_from_threads(pool):
    bodies = [docfiles.WRITERS[kind](SMALL) for kind in ("pdf", "docx", "xlsx", "xls")] * 3
    kinds = ["pdf", "docx", "xlsx", "xls"] * 3
    with ThreadPoolExecutor(max_workers=4) as executor:
        pairs = zip(kinds, bodies, strict=True)
        replies = list(executor.map(lambda pair: pool.read(pair[0], pair[1], Limits()), pairs))
    assert all("1234条" in reply["text"] for reply in replies)
    assert len(children(pool)) <= pool_module.MAX_IDLE
