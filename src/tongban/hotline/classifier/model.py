"""The pure part of the classifier: features, fit, evaluation and prediction on plain lists.
No storage, no Django: the bench and the tests call these directly.

Features (two TF-IDF blocks side by side):
- words: jieba ``cut_for_search`` tokens (the search index's own tokenizer, ``core.search``), as
  unigrams and bigrams of neighbouring tokens; digits are folded to one symbol (phone numbers, house
  numbers and dates say nothing about the category);
- characters: 2- and 3-character n-grams, which catch words jieba cuts differently (新词, typos).
Model: multinomial logistic regression (C=10: the corpus is small and the texts short, so little
regularisation), whose ``predict_proba`` is the suggestion's confidence.
"""

from __future__ import annotations

import itertools
import random
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sklearn import config_context
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, precision_recall_fscore_support
from sklearn.pipeline import FeatureUnion, Pipeline
from threadpoolctl import threadpool_limits

from tongban.core.search import index_tokens

# Work per text is bounded: a pasted letter of 20,000 characters is classified on its opening.
MAX_TEXT_CHARS = 2000
_DIGITS = re.compile(r"\d+")


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), lower case, digit runs → '0', at most MAX_TEXT_CHARS."""
    text = unicodedata.normalize("NFKC", text[: MAX_TEXT_CHARS * 2]).lower()
    return _DIGITS.sub("0", text)[:MAX_TEXT_CHARS]


def word_features(text: str) -> list[str]:
    """Unigrams and bigrams of the text's ``cut_for_search`` tokens. Module-level (not a lambda):
    the stored model refers to it by name."""
    tokens = [t for t in index_tokens(text).split() if t != "0"]
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def build_pipeline(*, seed: int = 0) -> Pipeline:
    features = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(analyzer=word_features, preprocessor=None, sublinear_tf=True, min_df=1),
            ),
            (
                "chars",
                TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True, min_df=1),
            ),
        ]
    )
    model = LogisticRegression(C=10.0, max_iter=2000, random_state=seed)
    return Pipeline([("features", features), ("model", model)])


def fit(texts: Sequence[str], labels: Sequence[str], *, seed: int = 0) -> Pipeline:
    pipeline = build_pipeline(seed=seed)
    # One BLAS thread: the problem is small, and on a busy host threads fighting over the cores
    # made the fit five times slower, not faster.
    with threadpool_limits(limits=1):
        pipeline.fit([normalize(t) for t in texts], list(labels))
    return pipeline


def predict(pipeline: Any, texts: Sequence[str]) -> list[tuple[str, float]]:
    """(category, probability) of the most probable category of each text."""
    # Validation of a few thousand features per call costs more than the prediction itself; the
    # input is always a list of strings made here.
    with config_context(assume_finite=True, skip_parameter_validation=True):
        probabilities = pipeline.predict_proba([normalize(t) for t in texts])
    classes = pipeline.classes_
    best = probabilities.argmax(axis=1)
    return [(str(classes[i]), float(row[i])) for i, row in zip(best, probabilities, strict=True)]


def deduplicate(examples: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """One example per distinct (normalized, stripped) text, the last label given winning: a text
    counted twice would land on both sides of the split and flatter the accuracy."""
    by_text: dict[str, tuple[str, str]] = {}
    for text, label in examples:
        key = normalize(text).strip()
        if key and label:
            by_text.pop(key, None)
            by_text[key] = (text.strip(), label)
    return list(by_text.values())


def stratified_split(labels: Sequence[str], *, held_out: float, seed: int) -> tuple[list[int], list[int]]:
    """Indexes of the training and the held-out examples: ``held_out`` of each category (rounded,
    at least one when the category has three or more examples), and never a category's only
    examples, so every category is learned."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        by_label[label].append(index)
    rng = random.Random(seed)  # noqa: S311 — a reproducible split, not a secret
    train: list[int] = []
    test: list[int] = []
    for label in sorted(by_label):
        indexes = by_label[label]
        rng.shuffle(indexes)
        share = round(len(indexes) * held_out)
        if len(indexes) >= 3:
            share = max(share, 1)
        share = min(share, len(indexes) - 1)
        test.extend(indexes[:share])
        train.extend(indexes[share:])
    return sorted(train), sorted(test)


def evaluate(
    pipeline: Any, texts: Sequence[str], labels: Sequence[str]
) -> tuple[float, dict[str, tuple[float, float, int]]]:
    """Accuracy and per-category (precision, recall, support) of the pipeline on these examples."""
    if not texts:
        return 0.0, {}
    predicted = [code for code, _ in predict(pipeline, texts)]
    codes = sorted(set(labels) | set(predicted))
    precision, recall, _f1, support = precision_recall_fscore_support(
        list(labels), predicted, labels=codes, zero_division=0
    )
    per_category = {
        code: (float(p), float(r), int(s))
        for code, p, r, s in zip(codes, precision, recall, support, strict=True)
    }
    return float(accuracy_score(list(labels), predicted)), per_category
