from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "tongban.applications"
    label = "applications"
    verbose_name = "办件"
