from django.utils.translation import gettext as _

from tongban.core.errors import ConflictError, TongbanError


class CatalogError(TongbanError):
    """A refused change to the service catalog."""


class CatalogPermissionError(CatalogError):
    """The actor holds no catalog-editor role in the item's department (HTTP 403)."""

    status = 403

    def __init__(self) -> None:
        super().__init__(_("您没有管理该部门事项的权限。"), code="forbidden")


class ImmutableVersionError(CatalogError):
    status = ConflictError.status

    def __init__(self) -> None:
        super().__init__(_("已发布的事项版本不能修改，请新建草稿后修改并发布。"), code="immutable_version")


class RuleViolationError(CatalogError):
    """Item data breaks one or more data-quality rules; ``details`` lists each rule's message."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(
            _("事项信息不符合数据质量规则：%(first)s") % {"first": messages[0]},
            code="rule_violation",
            details=messages,
        )
