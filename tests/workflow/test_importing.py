import datetime

import pytest

from advocacy.choices import Status
from advocacy.models import Source
from advocacy.services.importing import (
    ArticleImportError,
    DuplicateSourceError,
    article_from_bytes,
    article_from_html,
    article_from_text,
    source_import,
)
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

TEXT = """Mothers picket the ministry

May 14, 2024

"We want answers," said Olga Tsukanova.

Read more: Ten other stories you may like
"""

HTML = """<!doctype html>
<html lang="en"><head>
<title>Mothers picket the ministry | The Example Times</title>
<meta property="og:title" content="Mothers picket the ministry">
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2024-05-14T09:00:00Z">
<meta property="og:site_name" content="The Example Times">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li>
<li><a href="/sport">Sport section</a></li></ul></nav>
<main><article>
<h1>Mothers picket the ministry</h1>
<p>Dozens of mothers of mobilised soldiers stood outside the defence ministry in Moscow on
Tuesday, holding photographs of their sons and asking for their return home.</p>
<p>"We want answers, not promises," said Olga Tsukanova, who travelled from Samara to be
there. "Our sons have been at the front for more than a year."</p>
<p>The ministry did not reply to a request for comment by the time of publication.</p>
</article></main>
<aside><h2>Most read</h2><ul>
<li><a href="/a">Celebrity chef opens new restaurant downtown</a></li>
<li><a href="/b">Stock markets close higher on tech rally</a></li>
<li><a href="/c">Ten gadgets you need this summer</a></li></ul></aside>
<footer>Copyright The Example Times. All rights reserved.</footer>
</body></html>"""


def test_text_import_stores_a_draft_source_with_candidates(cast):
    result = source_import(article=article_from_text(TEXT))
    source = Source.objects.get(pk=result.source.pk)
    assert source.status == Status.DRAFT
    assert source.title == "Mothers picket the ministry"
    assert source.published_on == datetime.date(2024, 5, 14)
    assert "Read more" not in source.archived_text  # site furniture removed
    assert [c.text for c in result.candidates] == ["We want answers"]
    assert result.candidates[0].speaker.person == cast["tsukanova"]


def test_html_import_keeps_the_article_and_drops_navigation_and_headline_lists(cast):
    article = article_from_html(HTML.encode(), filename="page.html")
    assert article.title == "Mothers picket the ministry"
    assert article.published_on == datetime.date(2024, 5, 14)
    assert article.authors == "Jane Reporter"
    assert "Our sons have been at the front" in article.text
    for furniture in ("World news", "Celebrity chef", "Stock markets", "All rights reserved"):
        assert furniture not in article.text
    result = source_import(article=article)
    assert [c.speaker.person for c in result.candidates] == [cast["tsukanova"]]
    assert result.source.original_filename == "page.html"


def test_the_same_document_twice_is_refused_naming_the_existing_source(db):
    existing = SourceFactory(archived_text=article_from_text(TEXT).text, title="First copy")
    # Whitespace and quote-mark variants are the same document.
    variant = TEXT.replace('"We want answers,"', "“We want answers,”").replace("\n\n", "\n\n\n")
    with pytest.raises(DuplicateSourceError) as error:
        source_import(article=article_from_text(variant))
    assert error.value.existing == existing
    assert "First copy" in str(error.value)
    assert f"/advocacy/source/{existing.pk}/change/" in str(error.value)
    assert Source.objects.count() == 1


def test_dry_run_writes_nothing(db):
    result = source_import(article=article_from_text(TEXT), dry_run=True)
    assert result.saved is False and result.source.pk is None
    assert len(result.candidates) == 1
    assert not Source.objects.exists()


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "empty.txt", "empty"),
        (b"   \n\n  ", "blank.txt", "empty"),
        (b"\xff\xfe\x00bad", "latin.txt", "not UTF-8"),
        (b"%PDF-1.4", "paper.pdf", "Unsupported file type .pdf"),
        (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "x.html", "No article"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(db, content, filename, message):
    with pytest.raises(ArticleImportError, match=message):
        source_import(article=article_from_bytes(content, filename=filename))
    assert not Source.objects.exists()


def test_unknown_language_is_refused(db):
    with pytest.raises(ArticleImportError, match="Unknown language 'de'"):
        article_from_text(TEXT, language="de")
