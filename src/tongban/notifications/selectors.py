from django.db.models import QuerySet

from tongban.notifications.models import Notification


def inbox(user_id: int) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=user_id)


def unread_count(user_id: int) -> int:
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()


def sent_keys(keys: set[str]) -> set[str]:
    """Which of ``keys`` a message was sent for already (``services.notify``'s once-only keys)."""
    return set(Notification.objects.filter(key__in=keys).values_list("key", flat=True)) if keys else set()
