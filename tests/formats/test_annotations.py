"""Published quotations as W3C Web Annotations: JSON-LD that expands against the W3C
context (vendored, loaded offline), whose selectors find the words in the archived text."""

import json
from pathlib import Path

import pytest
from pyld import jsonld

from advocacy.formats.annotations import ANNO_CONTEXT, CONTENT_TYPE, PAGE_SIZE
from advocacy.models import PublicQuotation, Quotation, Source
from advocacy.publication.triggers import flush
from tests import factories

pytestmark = pytest.mark.django_db
CONTEXT = json.loads((Path(__file__).parents[1] / "data" / "w3c" / "anno.jsonld").read_text())
OA = "http://www.w3.org/ns/oa#"


def offline_loader(url, options=None):
    """Answers the W3C context only: the tests need no network."""
    if url.rstrip("/") in {ANNO_CONTEXT, ANNO_CONTEXT.replace("http:", "https:")}:
        return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}
    raise jsonld.JsonLdError("Not available offline", "loading document failed", {"url": url})


def expand(document: dict) -> list[dict]:
    return jsonld.expand(document, {"documentLoader": offline_loader})


def value(node: dict, term: str, default=None):
    if default is not None and OA + term not in node:
        return default  # prefix and suffix are optional (the words open or end the text)
    (item,) = node[OA + term]
    return item.get("@value", item.get("@id"))


def selectors_of(expanded: dict) -> dict[str, list[dict]]:
    """Each target's selectors, by the target's source IRI."""
    found = {}
    for target in expanded[OA + "hasTarget"]:
        source = target[OA + "hasSource"][0]["@id"]
        found[source] = target.get(OA + "hasSelector", [])
    return found


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == CONTENT_TYPE
    return response.json()


def test_every_published_quotation_is_an_annotation_whose_selectors_find_it(client, seeded):
    quotations = list(PublicQuotation.objects.all())
    assert quotations
    for row in quotations:
        url = f"/api/v1/quotations/{row.pk}/annotation"
        document = get(client, url)
        (expanded,) = expand(document)
        assert expanded["@id"] == f"http://testserver{url}"
        assert expanded["@type"] == [OA + "Annotation"]
        assert expanded[OA + "motivatedBy"] == [{"@id": OA + "linking"}]
        body = expanded[OA + "hasBody"][0]["@id"]
        assert body.startswith("http://testserver/statements/")
        quotation = Quotation.objects.select_related("source").get(pk=row.pk)
        archived = quotation.source.archived_text
        targets = selectors_of(expanded)
        ours = f"http://testserver{quotation.source.get_absolute_url()}"
        assert ours in targets
        if quotation.source.url:
            assert quotation.source.url in targets
        by_type = {s["@type"][0]: s for s in targets[ours]}
        quote = by_type[OA + "TextQuoteSelector"]
        position = by_type[OA + "TextPositionSelector"]
        exact = value(quote, "exact")
        prefix, suffix = value(quote, "prefix", ""), value(quote, "suffix", "")
        start, end = int(value(position, "start")), int(value(position, "end"))
        # The position selects the exact words; the quote selector finds them in one place.
        assert archived[start:end] == exact
        assert archived.find(prefix + exact + suffix) == start - len(prefix)
        assert archived.count(prefix + exact + suffix) == 1
        assert exact.split() == quotation.text.split() or quotation.text in exact


def test_the_exact_words_are_the_printed_ones_when_the_quotation_normalises_quote_marks(client):
    source = factories.SourceFactory(
        archived_text="Before it.\n\nShe said: “We won’t  stop,” and left.\n\nAfter."
    )
    quotation = factories.QuotationFactory(source=source, text="We won't stop,")
    flush()
    assert quotation.is_verbatim
    document = get(client, f"/api/v1/quotations/{quotation.pk}/annotation")
    (expanded,) = expand(document)
    ours = f"http://testserver{source.get_absolute_url()}"
    by_type = {s["@type"][0]: s for s in selectors_of(expanded)[ours]}
    exact = value(by_type[OA + "TextQuoteSelector"], "exact")
    assert exact == "We won’t  stop,"
    start = int(value(by_type[OA + "TextPositionSelector"], "start"))
    assert source.archived_text[start : start + len(exact)] == exact


def test_a_protected_name_is_in_no_selector_and_positions_follow_the_public_text(client):
    text = (
        "Tamara Hiddenova wrote first.\n\n"
        '"Bring them home," said the council, and Hiddenova agreed.\n\nEnd.'
    )
    source = factories.SourceFactory(archived_text=text, full_text_public=True)
    quotation = factories.QuotationFactory(source=source, text="Bring them home,")
    named = factories.QuotationFactory(source=source, text="said the council, and Hiddenova agreed")
    factories.PersonFactory(name="Tamara Hiddenova", protected=True)
    flush()
    public_text = Source.objects.get(pk=source.pk)
    document = get(client, f"/api/v1/quotations/{quotation.pk}/annotation")
    assert "Hiddenova" not in json.dumps(document)
    (expanded,) = expand(document)
    ours = f"http://testserver{source.get_absolute_url()}"
    by_type = {s["@type"][0]: s for s in selectors_of(expanded)[ours]}
    start = int(value(by_type[OA + "TextPositionSelector"], "start"))
    end = int(value(by_type[OA + "TextPositionSelector"], "end"))
    served = client.get(f"/api/v1/sources/{public_text.pk}/").json()["archived_text"]
    assert "Hiddenova" not in served
    assert served[start:end] == "Bring them home,"
    # The words naming her are redacted: no quote selector points at words not printed.
    redacted = get(client, f"/api/v1/quotations/{named.pk}/annotation")
    assert "Hiddenova" not in json.dumps(redacted)
    assert "TextQuoteSelector" not in json.dumps(redacted)


def test_unpublished_quotations_have_no_annotation(client):
    statement = factories.StatementFactory(draft=True)
    flush()
    quotation = statement.quotations.get()
    assert client.get(f"/api/v1/quotations/{quotation.pk}/annotation").status_code == 404
    assert client.get("/api/v1/quotations/999999/annotation").status_code == 404


def test_a_source_s_annotations_are_a_collection(client, seeded):
    for source in Source.objects.public():
        url = f"/api/v1/sources/{source.pk}/annotations"
        document = get(client, url)
        (expanded,) = expand(document)
        assert expanded["@type"] == ["http://www.w3.org/ns/activitystreams#OrderedCollection"]
        total = Quotation.objects.public().filter(source=source).count()
        assert document["total"] == total
        first = document["first"]
        assert first["type"] == "AnnotationPage"
        ids = {item["id"] for item in first["items"]}
        expected = {
            f"http://testserver/api/v1/quotations/{q.pk}/annotation"
            for q in Quotation.objects.public().filter(source=source)
        }
        assert ids == expected
        for item in first["items"]:
            targets = item["target"] if isinstance(item["target"], list) else [item["target"]]
            item_source = targets[-1]["source"]["id"]
            assert item_source == f"http://testserver{source.get_absolute_url()}"


def test_collections_page_and_refuse_bad_pages(client, django_assert_max_num_queries):
    source = factories.SourceFactory()
    for _ in range(PAGE_SIZE + 3):
        factories.QuotationFactory(source=source)
    flush()
    url = f"/api/v1/sources/{source.pk}/annotations"
    with django_assert_max_num_queries(6):
        collection = get(client, url)
    assert collection["total"] == PAGE_SIZE + 3
    assert len(collection["first"]["items"]) == PAGE_SIZE
    assert collection["first"]["next"].endswith("?page=1")
    with django_assert_max_num_queries(6):
        page = get(client, f"{url}?page=1")
    assert page["type"] == "AnnotationPage" and len(page["items"]) == 3
    (expanded,) = expand(page)
    assert len(expanded["http://www.w3.org/ns/activitystreams#items"][0]["@list"]) == 3
    assert client.get(f"{url}?page=x").status_code == 400
    assert client.get(f"{url}?page=9").status_code == 404
