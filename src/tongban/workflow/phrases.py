"""A staff member's opinion aids: 常用语 (common phrases; the platform's defaults until someone saves
their own) and a handwritten signature image shown with their opinions."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tongban.core.uploads import check_upload
from tongban.workflow.errors import WorkflowError
from tongban.workflow.models import CommonPhrase, StaffSignature

DEFAULT_PHRASES = (
    "同意。",
    "材料齐全，符合法定形式，予以受理。",
    "经审查，符合法定条件，拟同意。",
    "不符合法定条件，建议不予许可。",
)
MAX_PHRASES = 30


def phrases_of(user_id: int) -> list[str]:
    """The user's phrases in the order they were saved, or the defaults when there are none."""
    own = list(CommonPhrase.objects.filter(user_id=user_id).values_list("text", flat=True))
    return own or list(DEFAULT_PHRASES)


def own_phrases(user_id: int) -> list[tuple[int, str]]:
    return list(CommonPhrase.objects.filter(user_id=user_id).values_list("pk", "text"))


@transaction.atomic
def add_phrase(*, user_id: int, text: str) -> int:
    """Save a phrase (1–200 characters, at most MAX_PHRASES each); saving the same text again is a
    no-op that returns the existing one."""
    text = " ".join(text.split())
    if not text:
        raise WorkflowError(_("请输入常用语"), code="phrase_required")
    if len(text) > 200:
        raise WorkflowError(_("常用语不能超过200字"), code="phrase_too_long")
    existing = CommonPhrase.objects.filter(user_id=user_id, text=text).first()
    if existing:
        return existing.pk
    if CommonPhrase.objects.filter(user_id=user_id).count() >= MAX_PHRASES:
        raise WorkflowError(_("常用语最多%(n)s条，请先删除不用的") % {"n": MAX_PHRASES}, code="too_many")
    return CommonPhrase.objects.create(user_id=user_id, text=text).pk


def delete_phrase(*, user_id: int, phrase_id: int) -> None:
    """Delete one of the user's own phrases; someone else's is left alone."""
    CommonPhrase.objects.filter(pk=phrase_id, user_id=user_id).delete()


# --- handwritten signatures ---------------------------------------------------------------------

SIGNATURE_MAX_MB = 1


def save_signature(*, user_id: int, name: str, data: bytes) -> None:
    """Keep the user's signature image: PNG or JPEG up to 1 MB, type sniffed from the content and
    re-encoded (core.uploads), replacing an earlier one. Raises UploadError with the reason."""
    checked = check_upload(name=name, data=data, allowed_types=("png", "jpg"), max_size_mb=SIGNATURE_MAX_MB)
    StaffSignature.objects.update_or_create(
        user_id=user_id, defaults={"image": checked.content, "kind": checked.kind}
    )


def delete_signature(*, user_id: int) -> None:
    StaffSignature.objects.filter(user_id=user_id).delete()


def signatures_of(user_ids: set[int]) -> dict[int, bytes]:
    """Signature images by user id, for those who have one."""
    return {
        user_id: bytes(image)
        for user_id, image in StaffSignature.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "image"
        )
    }
