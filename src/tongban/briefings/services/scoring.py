"""The scoring rules of 信息报送考核: the 采用 levels and their points, edited by 信息编辑.

History-safe by snapshot: every 采用 record keeps the points of its level when it was recorded, so a
changed rule counts from then on and never rewrites a past period's ranking."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tongban.briefings.access import editor_department_ids
from tongban.briefings.errors import BriefingError, BriefingNotFound
from tongban.briefings.models import ScoringLevel

MAX_POINTS = Decimal("100")
# The levels migration 0002 seeds (its own copy: a migration never imports app code).
DEFAULT_LEVELS = (
    ("city", "被市采用", "2.0", True),
    ("city_leader", "市领导批示", "3.0", False),
    ("province", "被省采用", "5.0", False),
    ("province_leader", "省领导批示", "8.0", False),
    ("national", "被国家采用", "10.0", False),
)


def ensure_default_levels() -> None:
    """The default levels where the table is empty (a database flushed after migrating); else nothing."""
    if ScoringLevel.objects.exists():
        return
    ScoringLevel.objects.bulk_create(
        ScoringLevel(
            code=code, name=name, points=Decimal(points), is_issue_level=issue, position=(n + 1) * 10
        )
        for n, (code, name, points, issue) in enumerate(DEFAULT_LEVELS)
    )


def _editor(user_id: int) -> None:
    if not editor_department_ids(user_id):
        raise BriefingNotFound(_("只有信息编辑可以修改计分规则"))


def parse_points(text: str) -> Decimal:
    """分值 as typed: a number from 0 to 100 with at most one decimal."""
    try:
        points = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        raise BriefingError(_("分值应为数字，如 2 或 2.5"), code="points") from None
    if not points.is_finite() or points < 0 or points > MAX_POINTS:
        raise BriefingError(_("分值应在0到100之间"), code="points")
    if points != points.quantize(Decimal("0.1")):
        raise BriefingError(_("分值最多保留一位小数"), code="points")
    return points.quantize(Decimal("0.1"))


@transaction.atomic
def update_level(*, user_id: int, level_id: int, points: str, is_active: bool) -> None:
    """Change a level's points (applies to 采用 recorded from now on) or switch it off. The 本刊采用
    level stays on: 采用 records it."""
    _editor(user_id)
    level = ScoringLevel.objects.select_for_update().filter(pk=level_id).first()
    if level is None:
        raise BriefingNotFound(_("没有找到该采用级别"))
    value = parse_points(points)
    if level.is_issue_level and not is_active:
        raise BriefingError(_("本刊采用级别不能停用"), code="is_active")
    level.points, level.is_active = value, is_active
    level.updated_at, level.updated_by_id = timezone.now(), user_id
    level.save(update_fields=["points", "is_active", "updated_at", "updated_by"])


@transaction.atomic
def create_level(*, user_id: int, name: str, points: str) -> int:
    """A new 采用 level (e.g. 被中办采用) at the end of the list."""
    _editor(user_id)
    name = name.strip()
    if not name:
        raise BriefingError(_("请输入采用级别名称"), code="name")
    value = parse_points(points)
    if ScoringLevel.objects.filter(name=name).exists():
        raise BriefingError(_("已有同名的采用级别"), code="name")
    last = ScoringLevel.objects.order_by("-position").values_list("position", flat=True).first() or 0
    code = slugify(f"level-{ScoringLevel.objects.count() + 1}-{timezone.now():%H%M%S%f}")[:32]
    return ScoringLevel.objects.create(
        code=code,
        name=name,
        points=value,
        position=last + 10,
        updated_at=timezone.now(),
        updated_by_id=user_id,
    ).pk
