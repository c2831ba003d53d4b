"""The code and name of a row in a table administrators extend (岗位, 环节类型 …): a code is a new
lower-case slug that processes and assignments name; a name is new too, so pickers never show two
rows alike. Each check raises the caller's own error class, with the field it concerns."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

CODE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
MAX_NAME_LENGTH = 50

FieldError = Callable[..., Exception]


def clean_code(code: str, *, what: str, in_use: Callable[[str], bool], error: FieldError) -> str:
    """The stripped code; ``in_use`` says whether another row (or the code) already claims it."""
    code = code.strip()
    if not code:
        raise error(_("请输入%(what)s代码") % {"what": what}, field="code")
    if not CODE.match(code):
        raise error(
            _("%(what)s代码须以小写字母开头，由小写字母、数字和下划线组成，2至32个字符") % {"what": what},
            field="code",
        )
    if in_use(code):
        raise error(
            _("%(what)s代码“%(code)s”已被使用，请换一个") % {"what": what, "code": code}, field="code"
        )
    return code


def clean_name(name: str, *, what: str, same_name: QuerySet, error: FieldError) -> str:
    """The stripped name; ``same_name`` holds the other rows of the table (the one renamed excluded)."""
    name = name.strip()
    if not name:
        raise error(_("请输入%(what)s名称") % {"what": what}, field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise error(_("%(what)s名称不能超过50个字") % {"what": what}, field="name")
    if same_name.filter(name=name).exists():
        raise error(
            _("已有名为“%(name)s”的%(what)s，请换一个名称") % {"name": name, "what": what}, field="name"
        )
    return name
