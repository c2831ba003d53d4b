from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class ClassifierError(Exception):
    """Training refused; ``message`` is shown to the operator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TooFewExamples(ClassifierError):
    pass


def too_few_examples(count: int, minimum: int) -> TooFewExamples:
    return TooFewExamples(
        str(
            _("训练样本只有 %(count)d 条，少于要求的 %(minimum)d 条，未替换当前模型。")
            % {"count": count, "minimum": minimum}
        )
    )
