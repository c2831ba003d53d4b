"""A bad rating with its rectification, for ratings tests and for the apps that react to one."""

from tongban.applications import services as applications
from tongban.applications.tests.factories import draft_with_materials, pdf_bytes
from tongban.ratings.models import Rectification
from tongban.ratings.services import RatingAnswers, Upload, rate_application

BAD = RatingAnswers(
    level=1, efficiency=2, guide_accuracy=3, convenience=1, platform_usability=2, comment="窗口推诿"
)


def finished_application(*, applicant_id: int, item, clerk_id: int) -> int:
    """An application of ``item`` submitted and declined (不予受理): finished, so it can be rated."""
    application_id = draft_with_materials(applicant_id=applicant_id, item=item)
    applications.submit_application(application_id=application_id, applicant_id=applicant_id)
    applications.decline_application(application_id=application_id, staff_id=clerk_id, reason="材料不属实")
    return application_id


def open_rectification(*, applicant_id: int, application_id: int) -> int:
    """Rate the finished application 非常不满意; returns the rectification it opened."""
    rating_id = rate_application(application_id=application_id, rater_id=applicant_id, answers=BAD)
    return Rectification.objects.get(rating_id=rating_id).pk


def attachment(name: str = "整改通知.pdf", data: bytes | None = None) -> Upload:
    return Upload(name=name, data=pdf_bytes("rectified") if data is None else data)
