"""Category suggestion for 12345 work orders: a text classifier trained on the orders whose category
a dispatcher confirmed or overrode (docs/hotline-classifier.md).

    suggest(text) -> Suggestion | None      the most probable category and its probability
    train(examples, held_out=0.2, seed=0, min_examples=0)  fit, measure on a held-out share, store, report
    forget_cached_model()                  drop this process's loaded model (tests, after a restore)

A suggestion is returned whatever its confidence: the dispatcher decides. Below LOW_CONFIDENCE the
hotline pages should present it as a hint only (on the demo corpus's held-out set, 89% of the
suggestions at or above it were right and 58% of those below it; bench/hotline_classifier.py).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

import sklearn
from django.utils.translation import gettext as _

from tongban.hotline.classifier import model, storage
from tongban.hotline.classifier.errors import ClassifierError, TooFewExamples, too_few_examples
from tongban.hotline.classifier.types import Suggestion, TrainingReport

__all__ = [
    "LOW_CONFIDENCE",
    "ClassifierError",
    "Suggestion",
    "TooFewExamples",
    "TrainingReport",
    "current_report",
    "forget_cached_model",
    "suggest",
    "train",
]

LOW_CONFIDENCE = 0.5
logger = logging.getLogger(__name__)


def suggest(text: str) -> Suggestion | None:
    """The category the current model finds most probable for this text, with its probability.
    None when no model has been trained (or the stored one was refused), or the text is blank."""
    if not text or not text.strip():
        return None
    try:
        payload = storage.cache.current()
        if payload is None:
            return None
        [(code, confidence)] = model.predict(payload["pipeline"], [text])
    except Exception:  # a suggestion is a convenience: it must never stop an order being taken
        logger.exception("hotline classifier: suggestion failed")
        return None
    return Suggestion(category_code=code, confidence=confidence)


def train(
    examples: Iterable[tuple[str, str]], *, held_out: float = 0.2, seed: int = 0, min_examples: int = 0
) -> TrainingReport:
    """Fit a model on (text, category code) examples, measure it on a stratified held-out share it
    never saw, store it as the current model for every app node, and report the measurement.

    Identical texts count once (the last label wins). The stored model is the measured one (fit on
    the training share only), so the printed accuracy is that of the model in use.
    Raises TooFewExamples (nothing stored) below ``min_examples`` distinct examples, and
    ClassifierError with fewer than two categories."""
    if not 0 < held_out < 1:
        raise ValueError("held_out is a share between 0 and 1")
    distinct = model.deduplicate(list(examples))
    if len(distinct) < max(min_examples, 2):
        raise too_few_examples(len(distinct), max(min_examples, 2))
    texts = [text for text, _label in distinct]
    labels = [label for _text, label in distinct]
    if len(set(labels)) < 2:
        raise ClassifierError(str(_("训练样本至少需要两个分类。")))
    train_idx, test_idx = model.stratified_split(labels, held_out=held_out, seed=seed)
    pipeline = model.fit([texts[i] for i in train_idx], [labels[i] for i in train_idx], seed=seed)
    accuracy, per_category = model.evaluate(
        pipeline, [texts[i] for i in test_idx], [labels[i] for i in test_idx]
    )
    report = TrainingReport(
        trained_on=len(train_idx), held_out=len(test_idx), accuracy=accuracy, per_category=per_category
    )
    storage.store_model(
        {
            "pipeline": pipeline,
            "report": report,
            "trained_at": dt.datetime.now(dt.UTC),
            "sklearn_version": sklearn.__version__,
        }
    )
    storage.cache.forget()
    return report


def current_report() -> TrainingReport | None:
    """The training report of the model in use (None without one), e.g. for a staff page."""
    payload = storage.cache.current()
    report = payload.get("report") if payload else None
    return report if isinstance(report, TrainingReport) else None


def forget_cached_model() -> None:
    """Drop this process's loaded model: the next suggestion reads current.json again."""
    storage.cache.forget()
