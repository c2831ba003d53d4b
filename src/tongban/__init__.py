"""Tongban (通办): one-network e-government platform."""

from .celery import app as celery_app

__all__ = ["celery_app"]
