from django.db import models


class Row(models.Model):
    """One row per POST; read back by key."""

    key = models.CharField(max_length=64, unique=True)
    value = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
