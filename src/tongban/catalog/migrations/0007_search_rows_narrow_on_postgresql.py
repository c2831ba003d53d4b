from django.db import migrations

from tongban.catalog.migrations._vendor_sql import VendorRunSQL

# PostgreSQL: keep the long token columns out of the main heap rows, so that reading matches in
# ranking order (catalog.search) reads narrow rows: the text tokens and their array are stored
# out of line (rows written from now on; VACUUM FULL rewrites older ones).
POSTGRES_FORWARDS = [
    """
    ALTER TABLE catalog_itemsearchindex
        ALTER COLUMN text_tokens SET STORAGE EXTERNAL,
        ALTER COLUMN terms SET STORAGE EXTERNAL,
        SET (toast_tuple_target = 128)
    """,
]
POSTGRES_BACKWARDS = [
    """
    ALTER TABLE catalog_itemsearchindex
        ALTER COLUMN text_tokens SET STORAGE EXTENDED,
        ALTER COLUMN terms SET STORAGE EXTENDED,
        RESET (toast_tuple_target)
    """,
]


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_version_search_tokens_made_with_the_draft"),
    ]

    operations = [
        VendorRunSQL("postgresql", POSTGRES_FORWARDS, POSTGRES_BACKWARDS),
    ]
