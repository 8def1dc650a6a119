"""The CI gate: the labelled evaluation set must score at or above the floors pinned in tests/eval/floors.json."""

from __future__ import annotations

import pytest

from tests.eval import gate as eval_gate
from tests.eval.cases import all_cases


@pytest.fixture(scope="module")
def scored():
    cases = all_cases()
    outcomes = eval_gate.run(cases)
    return cases, outcomes, eval_gate.score(outcomes)


def test_eval_set_has_the_required_coverage(scored):
    cases, _, scores = scored
    assert scores["lookalikes"] >= 30
    groups = {c.group for c in cases}
    assert groups == {"seed", "encoding", "attachment", "hard", "lookalike"}
    kinds = {o.record["source"]["kind"] for o in scored[1] if o.record}
    assert {"html", "txt", "pdf", "docx", "doc", "xls", "xlsx"} <= kinds


def test_scores_hold_their_floors(scored):
    cases, outcomes, scores = scored
    problems = eval_gate.check(scores, eval_gate.corpus_digest(cases), eval_gate.load_floors())
    detail = "\n".join(eval_gate.failures(outcomes))
    assert not problems, "\n".join(problems) + f"\nscores: {scores}\nwrong fields:\n{detail}"


def test_the_five_seeds_are_fully_right(scored):
    _, outcomes, _ = scored
    seeds = [o for o in outcomes if o.case.group == "seed"]
    assert len(seeds) == 5
    assert eval_gate.failures(seeds) == []


def test_char_f1():
    assert eval_gate.char_f1("年度报告", "年 度\n报告") == 1.0
    assert eval_gate.char_f1("年度报告", "") == 0.0
    assert eval_gate.char_f1("ab", "abcd") == pytest.approx(2 * 0.5 * 1 / 1.5)


def test_update_never_lowers_a_floor():
    pinned = {"floors": dict.fromkeys(eval_gate.METRICS, 0.9)}
    scores = {**dict.fromkeys(eval_gate.METRICS, 0.5), "cases": 1, "reports": 1, "lookalikes": 0}
    scores["text_f1"] = 0.95
    floors = eval_gate.updated_floors(scores, "d", pinned)["floors"]
    assert floors["year_accuracy"] == 0.9 and floors["text_f1"] == 0.95


def test_check_names_the_repin_command_on_a_changed_corpus():
    (problem,) = eval_gate.check(dict.fromkeys(eval_gate.METRICS, 1.0), "new", {"corpus_digest": "old"})
    assert eval_gate.UPDATE_COMMAND in problem


def test_check_reports_a_drop():
    pinned = {"corpus_digest": "d", "floors": dict.fromkeys(eval_gate.METRICS, 0.9)}
    scores = {**dict.fromkeys(eval_gate.METRICS, 0.95), "year_accuracy": 0.8}
    (problem,) = eval_gate.check(scores, "d", pinned)
    assert problem.startswith("year_accuracy dropped to 0.8000 below its floor 0.9000")
