import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Receipt:
    """What an applicant is told after submitting: the 办件编号 and the promised finish date."""

    application_id: int
    number: str
    submitted_at: dt.datetime
    promised_finish_date: dt.date
    item_name: str


@dataclass(frozen=True)
class ApplicationRef:
    id: int
    number: str | None
    applicant_id: int
    department_id: int
    status: str

    @property
    def is_finished(self) -> bool:
        """Closed (办结) or declined (不予受理): the applicant can rate the service."""
        return self.status in {"closed", "declined"}


@dataclass(frozen=True)
class CaseClock:
    """An open case's clock for e-supervision: its effective due date (promised date moved by every
    pause, including one still running) and the working days paused so far."""

    id: int
    number: str
    applicant_name: str
    department_id: int
    status: str
    submitted_at: dt.datetime
    due_date: dt.date
    paused_days: int
    is_paused: bool
    # The due date was counted over a year whose holidays are not published (暂按周末计算).
    is_provisional: bool = False


@dataclass(frozen=True)
class ApplicationFacts:
    """What a result (e.g. an e-license) is made from: who applied for which item, and their answers."""

    id: int
    number: str
    item_id: int
    item_version_id: int
    department_id: int
    applicant_id: int
    applicant_name: str
    status: str
    form_data: dict[str, object]
    # When the receiving department approved it (准予), e.g. a company's 成立日期; None if not approved.
    approved_at: dt.datetime | None = None
