"""The lexicon of public words (near spellings on any database), filled from the public rows
already built; on PostgreSQL with a trigram index on the word."""

from django.db import migrations, models

PUBLIC_MODELS = [
    "PublicStatement",
    "PublicEvent",
    "PublicGroup",
    "PublicPerson",
    "PublicMembership",
    "PublicSource",
    "PublicQuotation",
    "PublicCitation",
]


def fill(apps, schema_editor):
    from advocacy.publication.lexicon import ProtectedForms, words_of
    from advocacy.text import fold

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS advocacy_publicword_word_trgm "
            "ON advocacy_publicword USING gin (word gin_trgm_ops)"
        )
    Person = apps.get_model("advocacy", "Person")
    PersonAlias = apps.get_model("advocacy", "PersonAlias")
    PublicWord = apps.get_model("advocacy", "PublicWord")
    names = [
        *Person.objects.filter(is_protected=True).values_list("name", flat=True),
        *PersonAlias.objects.filter(person__is_protected=True).values_list("name", flat=True),
    ]
    protected = ProtectedForms(word for name in names for word in fold(name).split())
    words: set[str] = set()
    for name in PUBLIC_MODELS:
        keys = apps.get_model("advocacy", name).objects.values_list("search_key", flat=True)
        words |= words_of(keys.iterator(chunk_size=2000))
    PublicWord.objects.bulk_create(
        [PublicWord(word=word, length=len(word)) for word in sorted(words) if word not in protected],
        batch_size=1000,
        ignore_conflicts=True,
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS advocacy_publicword_word_trgm")


class Migration(migrations.Migration):
    dependencies = [("advocacy", "0008_public_retractions_and_redirects")]

    operations = [
        migrations.CreateModel(
            name="PublicWord",
            fields=[
                ("word", models.CharField(max_length=64, primary_key=True, serialize=False)),
                (
                    "length",
                    models.PositiveSmallIntegerField(
                        db_index=True,
                        help_text="Letters in the word: near spellings are of a similar length.",
                    ),
                ),
            ],
        ),
        migrations.RunPython(fill, drop_index),
    ]
