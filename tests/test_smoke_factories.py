import pytest

from advocacy.models import Statement
from tests.factories import StatementFactory


@pytest.mark.django_db
def test_statement_factory_makes_a_verbatim_quotation():
    statement = StatementFactory()
    quotation = statement.quotations.get()
    assert quotation.is_verbatim
    assert Statement.objects.public().filter(pk=statement.pk).exists()
    assert not Statement.objects.public().filter(pk=StatementFactory(draft=True).pk).exists()
