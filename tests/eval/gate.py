"""Score the parser on the labelled evaluation set (tests/eval/cases.py) against pinned floors.

    python -m tests.eval_gate            print the scores and compare them with tests/eval/floors.json
    python -m tests.eval_gate --update   raise the floors to the current scores (never lowers one)

Metrics: classification accuracy (all cases), year, agency and published-date accuracy (reports
only; a report the page does not date must come out with no published date), signed-date
accuracy (reports whose signature date is labelled), and text character-F1 (cases with an
expected text: multiset of characters, whitespace removed). The floors file pins the corpus
digest, so a changed set cannot pass against old floors.
Modelled on trafilatura's tests/eval/gate.py.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.core.documents import BINARY_KINDS, UnreadableDocument, sniff
from crawler.core.record import build_record
from tests.eval.cases import Case, all_cases

FLOORS = Path(__file__).with_name("floors.json")
UPDATE_COMMAND = "python -m tests.eval_gate --update"
METRICS = ("classification_accuracy", "year_accuracy", "agency_accuracy", "published_accuracy", "signed_accuracy",
           "text_f1")
_SPACE = re.compile(r"\s+")
_LAYOUT = re.compile(r"[\s|]+")  # whitespace and the "|" trafilatura puts between table cells


@dataclass(frozen=True)
class Outcome:
    case: Case
    record: dict[str, Any] | None
    error: str | None = None


def char_f1(expected: str, actual: str) -> float:
    """F1 over the multisets of characters, layout removed: order-blind, so PDF reflow is not punished."""
    want, got = Counter(_LAYOUT.sub("", expected)), Counter(_LAYOUT.sub("", actual))
    overlap = sum((want & got).values())
    if not want and not got:
        return 1.0
    if overlap == 0:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def run(cases: Iterable[Case]) -> list[Outcome]:
    outcomes = []
    for case in cases:
        try:
            outcomes.append(Outcome(case, build_record(case.fetched, case.page)))
        except UnreadableDocument as exc:
            outcomes.append(Outcome(case, None, str(exc)))
    return outcomes


def _same(a: str | None, b: str | None) -> bool:
    return _SPACE.sub("", a or "") == _SPACE.sub("", b or "")


def score(outcomes: list[Outcome]) -> dict[str, Any]:
    def mean(values: list[float]) -> float:
        return round(sum(values) / len(values), 4) if values else 1.0

    got = [(o.case, o.record or {}) for o in outcomes]
    reports = [(c, r) for c, r in got if c.is_report]
    texts = [char_f1(c.expected_text, r.get("text", "")) for c, r in got if c.expected_text is not None]
    return {
        "classification_accuracy": mean([float(r.get("is_report") is c.is_report) for c, r in got]),
        "year_accuracy": mean([float(r.get("year") == c.year) for c, r in reports]),
        "agency_accuracy": mean([float(_same(r.get("agency"), c.agency)) for c, r in reports]),
        "published_accuracy": mean([float(r.get("published") == c.published) for c, r in reports]),
        "signed_accuracy": mean([float(r.get("signed") == c.signed) for c, r in reports if c.signed]),
        "text_f1": mean(texts),
        "cases": len(got),
        "reports": len(reports),
        "lookalikes": len(got) - len(reports),
    }


def failures(outcomes: list[Outcome]) -> list[str]:
    """One line per wrong field, for the gate's failure message and for --verbose."""
    lines = []
    for o in outcomes:
        c, r = o.case, o.record or {}
        if o.error:
            lines.append(f"{c.name}: unreadable: {o.error}")
            continue
        if r.get("is_report") is not c.is_report:
            reason = r["parser"]["verdict_reason"]
            lines.append(f"{c.name}: is_report {r.get('is_report')} ({reason}), want {c.is_report}")
        if c.is_report:
            for field in ("year", "agency", "published", "signed"):
                want = getattr(c, field)
                if (field != "signed" or want) and not (r.get(field) == want or (field == "agency"
                                                        and _same(r.get(field), want))):
                    lines.append(f"{c.name}: {field} {r.get(field)!r}, want {want!r}")
        if c.expected_text is not None and (f1 := char_f1(c.expected_text, r.get("text", ""))) < 0.95:
            lines.append(f"{c.name}: text F1 {f1:.3f}")
    return lines


def corpus_digest(cases: list[Case]) -> str:
    """Labels and inputs of every case. Office files embed their creation time, so a binary case is
    represented by its type and the text it was built from, HTML and TXT by their exact bytes."""
    digest = hashlib.sha256()
    for c in cases:
        kind = sniff(c.fetched.body, c.fetched.content_type, c.fetched.url)
        labels = [c.name, kind, c.is_report, c.year, c.agency, c.published, c.signed, c.expected_text]
        digest.update(json.dumps(labels, ensure_ascii=False).encode())
        if kind not in BINARY_KINDS:
            digest.update(hashlib.sha256(c.fetched.body).digest())
        digest.update(hashlib.sha256(c.page.body if c.page else b"").digest())
    return digest.hexdigest()


def check(scores: dict[str, Any], digest: str, pinned: dict[str, Any]) -> list[str]:
    """Why the gate fails (empty: it passes)."""
    if pinned.get("corpus_digest") != digest:
        return [f"the evaluation corpus changed (digest {digest[:12]}, floors pinned for "
                f"{str(pinned.get('corpus_digest'))[:12]}): review the scores and re-pin with `{UPDATE_COMMAND}`"]
    return [f"{name} dropped to {scores[name]:.4f} below its floor {pinned['floors'][name]:.4f}; "
            f"fix the regression (floors are raised with `{UPDATE_COMMAND}`, never lowered)"
            for name in METRICS if scores[name] < pinned["floors"][name]]


def updated_floors(scores: dict[str, Any], digest: str, pinned: dict[str, Any]) -> dict[str, Any]:
    """Floors raised to the current scores; a floor is never lowered, even for a new corpus."""
    old = pinned.get("floors", {})
    floors = {name: max(scores[name], old.get(name, 0.0)) for name in METRICS}
    counts = {key: scores[key] for key in ("cases", "reports", "lookalikes")}
    return {"corpus_digest": digest, "counts": counts, "floors": floors}


def load_floors() -> dict[str, Any]:
    return json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.exists() else {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.eval_gate", description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="raise the pinned floors to the current scores")
    parser.add_argument("--verbose", action="store_true", help="list every wrong field")
    args = parser.parse_args(argv)
    cases = all_cases()
    outcomes = run(cases)
    scores, digest, pinned = score(outcomes), corpus_digest(cases), load_floors()
    print(json.dumps(scores, indent=2))
    if args.verbose:
        print("\n".join(failures(outcomes)))
    if args.update:
        below = [name for name in METRICS if scores[name] < pinned.get("floors", {}).get(name, 0.0)]
        if below:
            print(f"not updating: {', '.join(below)} below the pinned floor; floors are never lowered", file=sys.stderr)
            return 1
        FLOORS.write_text(json.dumps(updated_floors(scores, digest, pinned), indent=2) + "\n", encoding="utf-8")
        print(f"floors written to {FLOORS}")
        return 0
    problems = check(scores, digest, pinned)
    print("\n".join(problems) or "eval gate passed", file=sys.stderr if problems else sys.stdout)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
