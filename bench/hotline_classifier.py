"""The 12345 category classifier (issue 17) on the demo corpus: held-out accuracy, per-category
precision and recall, the most frequent confusions, training time and suggestion latency. Prints
numbers; asserts nothing.

    .venv/bin/python bench/hotline_classifier.py [--count 1200] [--seed 2026] [--texts 1000]

Trains through `hotline.classifier.train` (features, fit, held-out measure and storing the model in
a throw-away media folder), then times `suggest()` one text at a time, the way the intake form
calls it, over `--texts` unseen texts (a corpus of another seed, minus any text seen in training).
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1200, help="demo corpus size (default 1200)")
    parser.add_argument("--seed", type=int, default=2026, help="demo corpus seed (default 2026)")
    parser.add_argument("--held-out", type=float, default=0.2, help="held-out share (default 0.2)")
    parser.add_argument(
        "--texts", type=int, default=1000, help="texts timed through suggest() (default 1000)"
    )
    return parser.parse_args()


ARGS = _arguments()
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")
MEDIA = tempfile.mkdtemp(prefix="tongban-bench-classifier-")
atexit.register(shutil.rmtree, MEDIA, ignore_errors=True)
os.environ["TONGBAN_MEDIA_ROOT"] = MEDIA

import django  # noqa: E402

django.setup()

from tongban.core.search import warm_up  # noqa: E402
from tongban.demo.hotline_corpus import labelled_orders  # noqa: E402
from tongban.hotline import classifier  # noqa: E402
from tongban.hotline.categories import BUILTIN_CATEGORIES  # noqa: E402
from tongban.hotline.classifier import model  # noqa: E402

NAMES = {c.code: c.name for c in BUILTIN_CATEGORIES}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def held_out_detail(examples: list[tuple[str, str]]) -> None:
    """The held-out examples again (the same split as train's): right or wrong by confidence, and
    the (filed under, suggested) pairs the model got wrong."""
    labels = [label for _, label in examples]
    _train, test = model.stratified_split(labels, held_out=ARGS.held_out, seed=0)
    payload = classifier.storage.cache.current()
    assert payload is not None
    predicted = model.predict(payload["pipeline"], [examples[i][0] for i in test])
    right = {True: 0, False: 0}
    total = {True: 0, False: 0}
    wrong: Counter[tuple[str, str]] = Counter()
    for i, (code, confidence) in zip(test, predicted, strict=True):
        confident = confidence >= classifier.LOW_CONFIDENCE
        total[confident] += 1
        right[confident] += code == labels[i]
        if code != labels[i]:
            wrong[(labels[i], code)] += 1
    for confident, label in ((True, "≥"), (False, "<")):
        share = right[confident] / total[confident] if total[confident] else 0.0
        print(
            f"held-out suggestions with confidence {label} {classifier.LOW_CONFIDENCE}: "
            f"{total[confident]}, right {share:.3f}"
        )
    print()
    print("most frequent confusions (filed under → suggested):")
    for (filed, suggested), n in wrong.most_common(8):
        print(f"  {n:>3}  {filed} → {suggested}")


def main() -> None:
    warm_up()  # jieba's dictionary: loaded once per process, not part of training
    orders = labelled_orders(count=ARGS.count, seed=ARGS.seed)
    examples = [(o.text, o.category_code) for o in orders]
    started = time.perf_counter()
    report = classifier.train(examples, held_out=ARGS.held_out, seed=0)
    training = time.perf_counter() - started

    print(
        f"demo corpus: {len(examples)} orders (seed {ARGS.seed}), {len({c for _, c in examples})} categories"
    )
    print(f"trained on {report.trained_on}, held out {report.held_out}")
    print(f"held-out accuracy: {report.accuracy:.3f}")
    print(f"training (features + fit + measure + store): {training:.2f} s")
    _dirs, files = classifier.storage.storages["default"].listdir(classifier.storage.DIRECTORY)
    sizes = [
        classifier.storage.storages["default"].size(f"{classifier.storage.DIRECTORY}/{f}") for f in files
    ]
    print(f"stored model: {max(sizes) / 1e6:.1f} MB")
    print()
    print(f"{'category':<20}{'precision':>10}{'recall':>8}{'support':>9}")
    for code, (precision, recall, support) in sorted(
        report.per_category.items(), key=lambda i: (-i[1][2], i[0])
    ):
        print(f"{code:<20}{precision:>10.3f}{recall:>8.3f}{support:>9d}  {NAMES.get(code, '')}")
    print()
    held_out_detail(examples)

    seen = {text for text, _ in examples}
    unseen = [o.text for o in labelled_orders(count=ARGS.texts * 2, seed=ARGS.seed + 1) if o.text not in seen]
    unseen = unseen[: ARGS.texts]
    classifier.forget_cached_model()
    started = time.perf_counter()
    classifier.suggest(unseen[0])
    first = time.perf_counter() - started
    latencies = []
    low = 0
    for text in unseen:
        started = time.perf_counter()
        suggestion = classifier.suggest(text)
        latencies.append((time.perf_counter() - started) * 1000)
        assert suggestion is not None
        low += suggestion.confidence < classifier.LOW_CONFIDENCE
    print()
    print(f"first suggestion after start (loads and checks the stored model): {first * 1000:.1f} ms")
    print(
        f"suggest() over {len(latencies)} unseen texts: p50 {statistics.median(latencies):.2f} ms, "
        f"p99 {percentile(latencies, 0.99):.2f} ms, max {max(latencies):.2f} ms"
    )
    print(f"suggestions below LOW_CONFIDENCE ({classifier.LOW_CONFIDENCE}): {low} of {len(latencies)}")


if __name__ == "__main__":
    main()
