"""Values other apps receive about 主动公开 (依申请公开's annual report and its 已公开 answers)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class ProactiveCounts:
    """年度报告 第二部分 (主动公开政府信息情况)."""

    published: int  # items first published in the year
    updated: int  # items changed (re-published) in the year
    withdrawn: int  # 废止/失效 in the year
    by_category: dict[str, int]  # 公开目录 category label -> items published in the year
    regulations: int  # 规章 published in the year (category 政策文件, kind 规章)
    normative_documents: int  # 行政规范性文件 published in the year


@dataclass(frozen=True)
class PublishedItemRef:
    id: int
    index_number: str
    title: str
    url: str
    department_id: int
    published_on: datetime.date
