"""python -m eval.fit_coverage: fit the coverage model and the answerability model (retrieval/coverage.py) on
both judged sets.

    python -m eval.fit_coverage            # cross-validated figures, then writes govsearch/data/coverage_model.json
    python -m eval.fit_coverage --dry-run  # figures only

Pairs: every judged query × every document, labelled addressed when the document holds a statement that
answers the query (grade 2), not addressed when it holds no judged statement (documents with only related,
grade-1 statements are left out, as in the evaluation). The wide set's test split is never used. A logistic
regression with balanced classes (both kinds of mistake count alike) is fitted by Newton's method with a
little L2; 5-fold cross-validation grouped by query (a query's pairs are never split between training and
checking) gives the figures recorded with the model.

The answerability model is fitted the same way, one row per question (answerable: the judges found a
statement that answers or relates to it), on the signals of its first hits (coverage.AnswerSignals).
"""
from __future__ import annotations

import argparse
import json
import time
from dataclasses import astuple
from pathlib import Path

import numpy as np

from eval.judgments import load_judgments
from eval.sets import ROOT, SETS
from govsearch.retrieval.coverage import AnswerSignals, Signals

MODEL = ROOT / "govsearch" / "data" / "coverage_model.json"
FOLDS = 5
L2 = 1e-2
THRESHOLD = 0.5


def training_rows(spec: str, index_root: Path) -> tuple[list, list]:
    """(set, query id, label, signals) for every scored (query, document) pair of the training queries, and
    (set, query id, answerable, answer signals) for every training query."""
    from govsearch.retrieval.answer import CANDIDATE_HITS, answer_signals
    from govsearch.retrieval.opening import ensure_engine
    from govsearch.retrieval.request import SearchRequest

    pairs, questions = [], []
    for name, judged_set in SETS.items():
        engine = ensure_engine(judged_set.corpus, index_root / name / spec.replace(":", "_").replace("/", "_"), spec)
        for j in load_judgments(engine.index.passages, judged_set.queries):
            if j.split == "test":
                continue
            for document, signals in engine.evidence(j.query).by_document().items():
                if document in j.addressed or document not in j.related:
                    pairs.append((name, j.id, int(document in j.addressed), list(astuple(signals))))
            hits = engine.search(SearchRequest(query=j.query, k=CANDIDATE_HITS)).hits
            signals, _ = answer_signals(engine, j.query, hits)
            questions.append((name, j.id, int(bool(j.relevant)), list(astuple(signals))))
    return pairs, questions


def fit(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Logistic regression weights (bias last), classes balanced, by Newton's method."""
    X = np.hstack([X, np.ones((len(X), 1))])
    sample_weight = np.where(y == 1, len(y) / (2 * y.sum()), len(y) / (2 * (len(y) - y.sum())))
    w = np.zeros(X.shape[1])
    penalty = L2 * np.eye(len(w))
    penalty[-1, -1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-X @ w))
        gradient = X.T @ (sample_weight * (p - y)) + penalty @ w
        hessian = (X * (sample_weight * p * (1 - p))[:, None]).T @ X + penalty + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def predict(w: np.ndarray, X: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-(X @ w[:-1] + w[-1])))


def cross_validated(rows) -> dict:
    queries = sorted({(s, q) for s, q, _, _ in rows})
    fold = {q: i % FOLDS for i, q in enumerate(np.random.default_rng(0).permutation(len(queries)))}
    fold_of = {queries[i]: f for i, f in fold.items()}
    X = np.array([r[3] for r in rows])
    y = np.array([r[2] for r in rows])
    sets = np.array([r[0] for r in rows])
    folds = np.array([fold_of[(r[0], r[1])] for r in rows])
    decided = np.zeros(len(rows), dtype=bool)
    for k in range(FOLDS):
        w = fit(X[folds != k], y[folds != k])
        decided[folds == k] = predict(w, X[folds == k]) >= THRESHOLD
    figures = {}
    for name in sorted(str(s) for s in set(sets)):
        m = sets == name
        truth, guess = y[m] == 1, decided[m]
        recall, specificity = guess[truth].mean(), (~guess[~truth]).mean()
        figures[name] = {"rows": int(m.sum()), "positive": int(truth.sum()),
                         "accuracy": round(float((truth == guess).mean()), 4),
                         "balanced accuracy": round(float((recall + specificity) / 2), 4),
                         "recall": round(float(recall), 4), "specificity": round(float(specificity), 4)}
    return figures


def fitted(rows, names: list[str], what: str) -> dict:
    """The model's weights fitted on all rows, with its cross-validated figures (printed as well)."""
    figures = cross_validated(rows)
    for name, f in figures.items():
        print(f"{what}, {name}: {f}")
    w = fit(np.array([r[3] for r in rows]), np.array([r[2] for r in rows]))
    weights = {name: round(float(v), 4) for name, v in zip(names, w[:-1])}
    print(f"{what}: {json.dumps(weights)} bias {w[-1]:.4f}")
    return {"weights": weights, "bias": round(float(w[-1]), 4), "threshold": THRESHOLD, what: len(rows),
            "cross-validated (5 folds, grouped by query; the wide set's dev split)": figures}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.fit_coverage", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--encoder", default="ensemble")
    parser.add_argument("--index-root", type=Path, default=ROOT / ".cache" / "eval-index")
    parser.add_argument("--dry-run", action="store_true", help="print the figures, do not write the model")
    args = parser.parse_args(argv)
    pairs, questions = training_rows(args.encoder, args.index_root)
    model = {**fitted(pairs, Signals.names(), "pairs"), "encoder": args.encoder, "fitted": time.strftime("%Y-%m-%d"),
             "answer": fitted(questions, AnswerSignals.names(), "questions")}
    if not args.dry_run:
        MODEL.write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
