"""The rules of 党政机关公文处理工作条例 and GB/T 9704-2012 a 发文单 must keep (STANDARDS §11), as pure
functions of its values: ``check_document`` answers every broken rule at once.

When a rule applies (``stage``):
- ``form``: every save of the 发文单 (标题, 份号, 密级 and 保密期限, at most one 主送 on a 请示);
- ``submit``: sending the draft on (拟稿 done): also at least one 主送, and a 请示 exactly one;
- ``sign_off``: 签发: also the 签发人 of an upward document (请示, 报告), printed in its 版头.
A 报告 that asks for a reply (请批复, 请批示 …) is a warning, never a refusal: the reviewer decides.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

FORM, SUBMIT, SIGN_OFF = "form", "submit", "sign_off"
STAGES = (FORM, SUBMIT, SIGN_OFF)
TITLE_MAX = 200
REQUEST, REPORT = "request", "report"
UPWARD_KINDS = (REQUEST, REPORT)  # 上行文: the 版头 names the 签发人
# Phrases by which a text asks the body above for a decision: a 请示 matter (报告不得夹带请示事项).
REQUEST_PHRASES = ("请批复", "请批示", "请予批复", "请予批准", "请审批", "妥否，请", "妥否,请", "请予审批")
COPY_NUMBER = re.compile(r"\d{6}")


@dataclass(frozen=True)
class Violation:
    """A broken rule: the 发文单 field it concerns, the message, and whether it refuses the save
    (``error``) or only warns (``warning``)."""

    field: str
    message: str
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass(frozen=True)
class DocumentFields:
    """The 发文单 values the rules read. ``main_recipients``/``copy_recipients``: the names of the
    主送/抄送 bodies (platform departments and free-text bodies alike); ``secrecy`` "" is 非密;
    ``body_text``: the 正文 as plain text (for the 报告 check); ``signer_named``: a 签发人 is known."""

    kind: str
    title: str
    main_recipients: tuple[str, ...] = ()
    copy_recipients: tuple[str, ...] = ()
    copy_number: str = ""
    secrecy: str = ""
    secrecy_period: str = ""
    body_text: str = ""
    signer_named: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def check_document(
    fields: DocumentFields, *, stage: str = FORM, allowed_secrecy: Collection[str] = ()
) -> list[Violation]:
    """Every rule ``fields`` break at ``stage`` (errors and warnings), in the 发文单's order.
    ``allowed_secrecy``: the 密级 codes the deployment may handle (TONGBAN_DOCUMENT_SECRECY_ALLOWED);
    none: only 非密 documents."""
    if stage not in STAGES:
        raise ValueError(stage)
    found: list[Violation] = []
    title = fields.title.strip()
    if not title:
        found.append(Violation("title", _("请填写标题")))
    elif len(title) > TITLE_MAX:
        found.append(Violation("title", _("标题不能超过%(n)d字") % {"n": TITLE_MAX}))
    if fields.copy_number and not COPY_NUMBER.fullmatch(fields.copy_number):
        found.append(Violation("copy_number", _("份号为6位阿拉伯数字，如 000001")))
    if fields.secrecy and fields.secrecy not in allowed_secrecy:
        found.append(
            Violation("secrecy", _("本平台不处理该密级的公文；涉密公文请按保密规定在涉密系统中办理"))
        )
    if fields.secrecy_period and not fields.secrecy:
        found.append(Violation("secrecy_period", _("非密公文不标注保密期限；请先选择密级或清空保密期限")))
    mains = [name for name in fields.main_recipients if name.strip()]
    if fields.kind == REQUEST and len(mains) > 1:
        found.append(Violation("main_recipients", _("请示只能主送一个机关，不得多头请示")))
    if stage in (SUBMIT, SIGN_OFF) and not mains:
        found.append(Violation("main_recipients", _("请至少填写一个主送机关")))
    if stage == SIGN_OFF and fields.kind in UPWARD_KINDS and not fields.signer_named:
        found.append(Violation("signer", _("请示、报告为上行文，须标注签发人")))
    if fields.kind == REPORT:
        text = f"{fields.title}\n{fields.body_text}"
        asked = [phrase for phrase in REQUEST_PHRASES if phrase in text]
        if asked:
            found.append(
                Violation(
                    "kind",
                    _("报告中不得夹带请示事项（文中有“%(phrase)s”）；需要上级答复的事项请另行请示")
                    % {"phrase": asked[0]},
                    severity="warning",
                )
            )
    return found
