"""pg_trgm GIN indexes for the public column's search (redhistory/search.py), PostgreSQL only.

Search matches substrings with `contains` (`col LIKE '%term%'`); a trigram GIN index on the
column serves that LIKE for terms of three characters or more. The indexes are not in the models'
Meta (SQLite has no pg_trgm), so they are added here by a RunPython that does nothing on other
databases; TrigramExtension skips itself there.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TRIGRAM_INDEXES = [
    ("oralhistory", "title", "redhistory_oral_title_trgm"),
    ("oralhistory", "summary", "redhistory_oral_summary_trgm"),
    # The raw transcript: search checks the public part after this index has narrowed the rows.
    ("oralhistory", "transcript", "redhistory_oral_transcript_trgm"),
    ("veteran", "name", "redhistory_veteran_name_trgm"),
    ("veteran", "biography", "redhistory_veteran_bio_trgm"),
    ("artefact", "name", "redhistory_artefact_name_trgm"),
    ("artefact", "story", "redhistory_artefact_story_trgm"),
]


def _indexes():
    for model_name, field, name in TRIGRAM_INDEXES:
        yield model_name, GinIndex(fields=[field], opclasses=["gin_trgm_ops"], name=name)


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in _indexes():
        schema_editor.add_index(apps.get_model("redhistory", model_name), index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in _indexes():
        schema_editor.remove_index(apps.get_model("redhistory", model_name), index)


class Migration(migrations.Migration):
    dependencies = [("redhistory", "0004_rename_publish_permission")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(add_indexes, remove_indexes, elidable=False),
    ]
