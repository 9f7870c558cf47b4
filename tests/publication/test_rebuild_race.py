"""A rebuild that read the working tables before a protection committed cannot leave rows
naming the protected person: writers of public rows take one lock, and the protection's
rebuild finds the rows committed before it."""

import threading

import pytest
from django.db import OperationalError, connection, transaction

from advocacy.models import PublicStatement
from advocacy.publication import builders
from advocacy.publication.triggers import flush
from advocacy.services import protection
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_rebuild_begun_before_a_protection_leaves_nothing_of_her():
    person = factories.PersonFactory(name="Zinaida Kovrigina")
    statements = factories.StatementFactory.create_batch(3, speaker_person=person)
    editor = factories.UserFactory(is_superuser=True)
    flush()
    ids = [statement.pk for statement in statements]
    read_before_protection = threading.Event()

    def stale_rebuild():
        try:
            with transaction.atomic():
                builders.lock(shared=True)
                # The rebuild reads the redactor and the records before she is protected
                redactor = builders.current_redactor()
                PublicStatement.objects.filter(pk__in=ids).delete()
                rows, _dependencies, _held = builders.build_chunk(
                    builders.KINDS["statement"], ids, redactor
                )
                read_before_protection.set()
                # and writes after the protection has begun.
                threading.Event().wait(0.5)
                PublicStatement.objects.bulk_create(rows)
        finally:
            connection.close()

    rebuild = threading.Thread(target=stale_rebuild)
    rebuild.start()
    assert read_before_protection.wait(30)
    if connection.vendor == "sqlite":
        # One writer at a time: the protection cannot begin while the rebuild writes.
        with pytest.raises(OperationalError, match="locked"):
            protection.person_set_protection(person=person, user=editor, protected=True)
        rebuild.join(30)
    # PostgreSQL: the protection's rebuild waits for the stale one's lock, then finds
    # its rows.
    protection.person_set_protection(person=person, user=editor, protected=True)
    rebuild.join(30)

    documents = " ".join(
        PublicStatement.objects.filter(pk__in=ids).values_list("document_en", flat=True)
    )
    assert PublicStatement.objects.filter(pk__in=ids).count() == 3
    assert "Kovrigina" not in documents
    assert builders.drift() == []
