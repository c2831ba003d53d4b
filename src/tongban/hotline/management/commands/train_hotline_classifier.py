"""Retrain the 12345 category classifier and print its held-out accuracy (docs/hotline-classifier.md).

manage.py train_hotline_classifier                       # the orders dispatchers confirmed or overrode
manage.py train_hotline_classifier --from-demo-corpus [--count 1200]
manage.py train_hotline_classifier --min-examples 500    # keep the current model below 500 examples
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tongban.hotline import classifier
from tongban.hotline.categories import BUILTIN_CATEGORIES

NAMES = {c.code: c.name for c in BUILTIN_CATEGORIES}


def _work_order_examples() -> Iterable[tuple[str, str]]:
    try:
        from tongban.hotline.selectors import training_examples
    except ImportError as error:  # the work-order side of the hotline app is not on this branch yet
        raise CommandError(_("工单数据尚不可用，请使用 --from-demo-corpus。")) from error
    return training_examples()


def _demo_examples(count: int) -> list[tuple[str, str]]:
    # tongban.demo sits above the hotline app in the layers: loaded by name, on the operator's request.
    corpus = importlib.import_module("tongban.demo.hotline_corpus")
    return [(order.text, order.category_code) for order in corpus.labelled_orders(count=count)]


class Command(BaseCommand):
    help = (
        "Train the 12345 category classifier on the work orders whose category a dispatcher confirmed or "
        "overrode (hotline.selectors.training_examples), or on the demo corpus with --from-demo-corpus; "
        "store it for every app node and print the held-out accuracy and a per-category table. Without "
        "hotline.selectors.training_examples (before the work-order side of the app is merged) only "
        "--from-demo-corpus works."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from-demo-corpus",
            action="store_true",
            help="train on the generated demo corpus (tongban.demo.hotline_corpus) instead of the work orders",
        )
        parser.add_argument("--count", type=int, default=1200, help="demo corpus size (default 1200)")
        parser.add_argument(
            "--min-examples",
            type=int,
            default=0,
            help="refuse (exit 1, current model kept) with fewer distinct examples than this",
        )
        parser.add_argument(
            "--held-out", type=float, default=0.2, help="share kept aside to measure (default 0.2)"
        )
        parser.add_argument("--seed", type=int, default=0, help="seed of the held-out split")

    def handle(
        self, *args, from_demo_corpus=False, count=1200, min_examples=0, held_out=0.2, seed=0, **options
    ):
        if not 0 < held_out < 1:
            raise CommandError(_("--held-out 须在 0 和 1 之间。"))
        examples = _demo_examples(count) if from_demo_corpus else list(_work_order_examples())
        self.stdout.write(_("样本：%(count)d 条") % {"count": len(examples)})
        try:
            report = classifier.train(examples, held_out=held_out, seed=seed, min_examples=min_examples)
        except classifier.ClassifierError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            _("训练 %(trained)d 条，留出 %(held)d 条（相同文本只计一次）")
            % {"trained": report.trained_on, "held": report.held_out}
        )
        self.stdout.write(_("留出集准确率 accuracy: %(accuracy).3f") % {"accuracy": report.accuracy})
        self.stdout.write(f"{'category':<20}{'precision':>10}{'recall':>8}{'support':>9}")  # held-out set
        for code, (precision, recall, support) in sorted(
            report.per_category.items(), key=lambda item: (-item[1][2], item[0])
        ):
            self.stdout.write(
                f"{code:<20}{precision:>10.3f}{recall:>8.3f}{support:>9d}  {NAMES.get(code, '')}"
            )
        self.stdout.write(self.style.SUCCESS(_("新模型已启用，各节点一分钟内生效。")))
