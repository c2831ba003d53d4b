"""Values other modules and apps receive about a document."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentLayout:
    """Everything the GB/T 9704 layout prints, as plain values (``documents.layout`` renders it; the 发文
    pages build it from a document with ``documents.selectors.layout_of``). ``body_html`` is the clean
    (sanitised, no 修订 marks) 正文; dates are the document's, never today's."""

    head_text: str  # 发文机关标志, red, e.g. 云州市人民政府办公室文件
    document_number: str  # 发文字号, e.g. 云州府办〔2026〕12号
    title: str
    body_html: str
    issuer_name: str  # 发文机关署名
    issued_on: datetime.date  # 成文日期
    main_recipients: tuple[str, ...] = ()
    copy_recipients: tuple[str, ...] = ()  # 版记: 抄送
    printed_by: str = ""  # 版记: 印发机关
    printed_on: datetime.date | None = None  # 版记: 印发日期
    copy_number: str = ""  # 份号
    secrecy: str = ""  # 密级 label, e.g. 秘密
    secrecy_period: str = ""
    urgency: str = ""  # 紧急程度 label, e.g. 特急
    signer_name: str = ""  # 签发人, printed in the 版头 of an upward document (请示, 报告)
    attachments_note: str = ""
    note: str = ""  # 附注


@dataclass(frozen=True)
class InstructionRef:
    """A 收文's 领导批示 as other apps see it (督查督办 opens a 督办事项 from it): the opinion, who gave
    it and when, the 承办 departments in the order chosen (the first leads) and the 办理时限."""

    received_id: int
    title: str
    registration_number: str
    department_id: int  # the receiving department
    instruction: str
    instructed_by_id: int
    instructed_at: datetime.datetime
    handling_department_ids: tuple[int, ...]
    handling_days: int | None
