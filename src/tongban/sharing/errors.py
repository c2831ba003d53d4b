from django.utils.translation import gettext as _

from tongban.core.errors import TongbanError


class SharingError(TongbanError):
    """A sharing request refused; ``message`` says why in Chinese."""


class PurposeRequiredError(SharingError):
    status = 400


class InvalidSubjectError(SharingError):
    status = 400


class NotGrantedError(SharingError):
    status = 403


class ResourceNotFoundError(SharingError):
    status = 404


class SubjectNotFoundError(SharingError):
    status = 404


class ReplayRefusedError(SharingError):
    """A write request without a valid Idempotency-Key or timestamp, or outside the time window (T-D4)."""

    status = 400


class IdempotencyKeyReusedError(SharingError):
    status = 409


class UsageLogUnavailableError(SharingError):
    """The usage log could not be written: no data leaves (fail closed, T-E4)."""

    status = 503

    def __init__(self) -> None:
        super().__init__(
            _("数据使用记录暂时无法写入，本次查询未提供数据，请稍后重试。"), code="log_unavailable"
        )
