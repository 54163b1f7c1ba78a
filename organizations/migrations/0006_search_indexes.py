"""Search indexes on PostgreSQL (SQLite searches by scanning, which is fine at its sizes).

- English (and Latin text in either name): ``icontains`` compiles to
  ``UPPER(col::text) LIKE UPPER(%s)``, so the trigram indexes are on the upper-cased names
  (pg_trgm, a trusted extension that stock PostgreSQL ships). They serve queries of three
  letters or more.
- Chinese: pg_trgm cannot serve one- and two-character queries (and needs a UTF-8 ctype at
  all). ``vcday_name_grams(text)`` returns every character and every pair of adjacent
  characters of a name; a GIN index on it finds the names holding all pairs of a query of any
  length (organizations.selectors.organization_name_q), and ``LIKE`` checks the order of the
  pairs.

All three cover only the institutions the public pages name (``is_public``, migration 0005):
what the directory and the API search. Their size follows the public institutions, not every
row: a million registered-but-unnamed institutions cost the search nothing.
"""

from django.db import migrations

GRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION vcday_name_grams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT gram), '{}'::text[]) FROM (
        SELECT substr(value, i, 1) AS gram FROM generate_series(1, char_length(value)) AS i
        UNION ALL
        SELECT substr(value, i, 2) FROM generate_series(1, char_length(value) - 1) AS i
    ) AS grams
    WHERE gram !~ '\\s'
$$
"""

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    GRAMS_FUNCTION,
    "CREATE INDEX IF NOT EXISTS organization_name_en_trgm ON organizations_organization "
    "USING gin (upper(name_en::text) gin_trgm_ops) WHERE is_public",
    "CREATE INDEX IF NOT EXISTS organization_name_zh_trgm ON organizations_organization "
    "USING gin (upper(name_zh_hans::text) gin_trgm_ops) WHERE is_public",
    "CREATE INDEX IF NOT EXISTS organization_name_zh_grams ON organizations_organization "
    "USING gin (vcday_name_grams(name_zh_hans::text)) WHERE is_public",
]
BACKWARD = [
    "DROP INDEX IF EXISTS organization_name_zh_grams",
    "DROP INDEX IF EXISTS organization_name_zh_trgm",
    "DROP INDEX IF EXISTS organization_name_en_trgm",
    "DROP FUNCTION IF EXISTS vcday_name_grams(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("organizations", "0005_organization_is_public")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
