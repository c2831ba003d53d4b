"""What the classifier hands to the rest of the hotline app: plain frozen values."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Suggestion:
    category_code: str  # one of hotline.categories codes (or a city's own code it was trained on)
    confidence: float  # 0..1: the model's probability of this category


@dataclass(frozen=True)
class TrainingReport:
    trained_on: int  # examples the stored model was fit on
    held_out: int  # examples kept aside to measure it (never seen in the fit)
    accuracy: float  # share of the held-out examples whose category the model suggested
    per_category: dict[
        str, tuple[float, float, int]
    ]  # code -> (precision, recall, support) on the held-out set
