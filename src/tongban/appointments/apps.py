from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "tongban.appointments"
    label = "appointments"
    verbose_name = "预约"
