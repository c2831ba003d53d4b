"""督办催办 on the staff case page: the case page belongs to applications, which must not import
supervision, so its template loads this tag instead."""

from django import template

from tongban.accounts.selectors import names_of
from tongban.supervision.selectors import interventions_of

register = template.Library()


@register.inclusion_tag("supervision/_case_interventions.html")
def case_interventions(application_id: int) -> dict[str, object]:
    """The case's 催办, 督办 and 系统自动督办, newest first, each with who issued it."""
    interventions = interventions_of(application_id)
    names = names_of({i.issued_by_id for i in interventions if i.issued_by_id})
    return {"interventions": [(i, names.get(i.issued_by_id or 0, "")) for i in interventions]}
