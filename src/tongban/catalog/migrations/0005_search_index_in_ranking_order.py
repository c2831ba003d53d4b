from django.db import migrations

from tongban.catalog.migrations import _vendor_sql


# Rows of the full-text index in ranking order (shorter names first, then the item id), so a search
# reads its best matches first and stops (catalog.search). On SQLite the FTS5 rowid carries the order:
# length(name) << 40 | item_id; on PostgreSQL a b-tree index over the same two values.
RANK_ROWID_NEW = "(length(new.name) << 40) + new.item_id"
RANK_ROWID_OLD = "(length(old.name) << 40) + old.item_id"

SQLITE_FORWARDS = [
    "DROP TRIGGER catalog_itemsearch_fts_update",
    "DROP TRIGGER catalog_itemsearch_fts_delete",
    "DROP TRIGGER catalog_itemsearch_fts_insert",
    "DROP TABLE catalog_itemsearch_fts",
    """
    CREATE VIRTUAL TABLE catalog_itemsearch_fts USING fts5(
        name_tokens, text_tokens, content='', tokenize='unicode61 remove_diacritics 0'
    )
    """,
    f"""
    CREATE TRIGGER catalog_itemsearch_fts_insert AFTER INSERT ON catalog_itemsearchindex BEGIN
        INSERT INTO catalog_itemsearch_fts(rowid, name_tokens, text_tokens)
        VALUES ({RANK_ROWID_NEW}, new.name_tokens, new.text_tokens);
    END
    """,
    f"""
    CREATE TRIGGER catalog_itemsearch_fts_delete AFTER DELETE ON catalog_itemsearchindex BEGIN
        INSERT INTO catalog_itemsearch_fts(catalog_itemsearch_fts, rowid, name_tokens, text_tokens)
        VALUES ('delete', {RANK_ROWID_OLD}, old.name_tokens, old.text_tokens);
    END
    """,
    f"""
    CREATE TRIGGER catalog_itemsearch_fts_update
    AFTER UPDATE OF item_id, name, name_tokens, text_tokens ON catalog_itemsearchindex BEGIN
        INSERT INTO catalog_itemsearch_fts(catalog_itemsearch_fts, rowid, name_tokens, text_tokens)
        VALUES ('delete', {RANK_ROWID_OLD}, old.name_tokens, old.text_tokens);
        INSERT INTO catalog_itemsearch_fts(rowid, name_tokens, text_tokens)
        VALUES ({RANK_ROWID_NEW}, new.name_tokens, new.text_tokens);
    END
    """,
    """
    INSERT INTO catalog_itemsearch_fts(rowid, name_tokens, text_tokens)
    SELECT (length(name) << 40) + item_id, name_tokens, text_tokens FROM catalog_itemsearchindex
    """,
]

POSTGRES_FORWARDS = [
    "CREATE INDEX catalog_search_rank_order ON catalog_itemsearchindex (length(name), item_id)",
]
POSTGRES_BACKWARDS = ["DROP INDEX catalog_search_rank_order"]


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_search_index_in_the_database"),
    ]

    operations = [
        _vendor_sql.VendorRunSQL("postgresql", POSTGRES_FORWARDS, POSTGRES_BACKWARDS),
        # Backwards leaves the table and triggers in place: 0004's reverse drops them.
        _vendor_sql.VendorRunSQL("sqlite", SQLITE_FORWARDS, migrations.RunSQL.noop),
    ]
