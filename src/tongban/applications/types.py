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
