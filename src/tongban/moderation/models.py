"""The sensitive-word list (敏感词库) that text for the public is checked against before it is shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WordCategory(models.TextChoices):
    POLITICAL = "political", _("政治敏感")
    ABUSE = "abuse", _("辱骂攻击")
    ADVERTISING = "advertising", _("广告推销")
    FRAUD = "fraud", _("违法违规")
    CONFIDENTIAL = "confidential", _("涉密用语")


class WordAction(models.TextChoices):
    BLOCK = "block", _("拦截")  # the text cannot go out until the word is removed
    REVIEW = "review", _("人工审核")  # the text goes to a person who decides


class SensitiveWord(models.Model):
    word = models.CharField(_("敏感词"), max_length=50, unique=True)
    category = models.CharField(_("类别"), max_length=20, choices=WordCategory.choices)
    action = models.CharField(_("处置"), max_length=10, choices=WordAction.choices, default=WordAction.REVIEW)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "word"]
        verbose_name = _("敏感词")
        verbose_name_plural = _("敏感词")
        constraints = [models.CheckConstraint(condition=~models.Q(word=""), name="sensitive_word_not_empty")]

    def __str__(self) -> str:
        return self.word
