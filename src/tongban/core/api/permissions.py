from rest_framework.permissions import BasePermission


class DenyAll(BasePermission):
    """The default for every API view: a view that does not say who may call it refuses everyone."""

    def has_permission(self, request, view) -> bool:
        return False
