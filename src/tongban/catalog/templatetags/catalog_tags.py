from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from tongban.catalog.choices import LimitUnit

register = template.Library()


@register.simple_tag
def promised_text(version) -> str:
    """承诺时限 as a citizen reads it: 即办, or N 个工作日 / 自然日 (UX.md: always say which)."""
    if version.is_instant or version.promised_limit == 0:
        return _("即办")
    return _("%(n)s个%(unit)s") % {
        "n": version.promised_limit,
        "unit": LimitUnit(version.promised_limit_unit).label,
    }


@register.simple_tag
def statutory_text(version) -> str:
    if version.statutory_limit is None:
        return _("无法定时限")
    if version.statutory_limit == 0:
        return _("即办")
    return _("%(n)s个%(unit)s") % {
        "n": version.statutory_limit,
        "unit": LimitUnit(version.statutory_limit_unit).label,
    }


@register.simple_tag
def channel_tags(version) -> str:
    # Status tags carry text, never colour alone (UX.md).
    tags = []
    if version.online_depth == 4:
        tags.append(format_html('<span class="tag tag-online">{}</span>', _("全程网办")))
    elif version.accepts_online:
        tags.append(format_html('<span class="tag tag-online">{}</span>', _("可网上申请")))
    if version.site_visits == 0:
        tags.append(format_html('<span class="tag tag-online">{}</span>', _("零跑动")))
    else:
        tags.append(
            format_html(
                '<span class="tag tag-visit">{}</span>', _("到现场%(n)s次") % {"n": version.site_visits}
            )
        )
    if version.is_instant:
        tags.append(format_html('<span class="tag">{}</span>', _("即办件")))
    return format_html_join("", "{}", ((tag,) for tag in tags))


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (pagination links keep the search)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.filter
def percent(ratio: float | None) -> str:
    if ratio is None:
        return "—"
    return f"{ratio * 100:.1f}%"


@register.filter
def get_count(counts: dict[int, int], key: int) -> int:
    return counts.get(key, 0)
