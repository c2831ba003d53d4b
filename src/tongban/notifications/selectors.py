from django.db.models import QuerySet

from tongban.notifications.models import Notification


def inbox(user_id: int) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=user_id)


def unread_count(user_id: int) -> int:
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()
