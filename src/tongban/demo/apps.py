from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tongban.demo"
    label = "demo"
    verbose_name = "演示城市"
