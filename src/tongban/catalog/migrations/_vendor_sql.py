"""A RunSQL for one database vendor, for the catalogue's full-text index (FTS5 or GIN)."""

from django.db import migrations


class VendorRunSQL(migrations.RunSQL):
    """RunSQL on one database vendor only; the other vendor gets its own statements."""

    def __init__(self, vendor, sql, reverse_sql):
        super().__init__(sql, reverse_sql)
        self.vendor = vendor

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)
