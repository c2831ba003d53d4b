from django.apps import AppConfig


class SchemaFormsConfig(AppConfig):
    name = "tongban.schemaforms"
    label = "schemaforms"
    verbose_name = "表单引擎"
