from django.apps import AppConfig


class RegistriesConfig(AppConfig):
    name = "tongban.registries"
    label = "registries"
    verbose_name = "基础库"
