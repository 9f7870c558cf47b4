"""Each published quotation as a W3C Web Annotation (www.w3.org/TR/annotation-model/).

An annotation says: these words, in this source, are this statement. Its `target` is the
source twice over, each a `SpecificResource` with selectors:

- the source's original address (where it was published), selected by a
  `TextQuoteSelector` (exact words with the text before and after: what a browser
  extension such as Hypothesis anchors on a live page);
- our archived copy (the source's page here; its text is the source's `archived_text`
  in the API where the full text may be shown), selected by the same `TextQuoteSelector`
  and a `TextPositionSelector`: offsets, in Unicode code points, into the archived text.

Its `body` is the statement's page; `motivation` is `linking` (the annotation links a
passage to the record of what was said). A source's annotations are an
`AnnotationCollection` whose pages are `AnnotationPage`s (the W3C Web Annotation
Protocol's containers).

Everything comes from the public documents: the quotation's (words, offsets, the exact
printed words and the words around them, computed when it was published) and its
source's. Where the public text of a source differs from the archived one (a protected
person's name replaced), offsets are found again in the public text; where a selector's
words were redacted, that selector is left out rather than pointing at words that are not
printed.
"""

from django.utils.translation import gettext

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTENT_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'
# Annotations per AnnotationPage of a source's collection.
PAGE_SIZE = 100


def _redacted(*texts: str | None) -> bool:
    marks = {"[protected person]", gettext("[protected person]")}
    return any(text and any(mark in text for mark in marks) for text in texts)


def _positions(quotation: dict, exact: str, source: dict | None) -> tuple[int, int] | None:
    """Offsets of `exact` in the archived text; in the public text where it is shown."""
    start, end = quotation.get("start_offset"), quotation.get("end_offset")
    if start is None or end is None:
        return None
    text = (source or {}).get("archived_text")
    if not text or text[start:end] == exact:
        return start, end
    # The public text differs from the archive (redacted): find the words there again,
    # preferring the occurrence with the same words before them.
    prefix = quotation.get("prefix") or ""
    found = list(_occurrences(text, exact))
    for i in found:
        if text[:i].endswith(prefix):
            return i, i + len(exact)
    return (found[0], found[0] + len(exact)) if found else None


def _occurrences(text: str, needle: str):
    start = text.find(needle)
    while start >= 0:
        yield start
        start = text.find(needle, start + 1)


def annotation_url(base: str, quotation_id: int) -> str:
    return f"{base}/api/v1/quotations/{quotation_id}/annotation"


def collection_url(base: str, source_id: int) -> str:
    return f"{base}/api/v1/sources/{source_id}/annotations"


def annotation(quotation: dict, source: dict | None, *, base: str, context: bool = True) -> dict:
    """The Web Annotation of one public quotation document (`source`: its source's public
    document, for the archived text when it is shown; None when not read)."""
    source_summary = quotation["source"]
    exact = quotation.get("exact") or quotation["text"]
    prefix, suffix = quotation.get("prefix") or "", quotation.get("suffix") or ""
    quote_selector = None
    if not _redacted(exact):
        quote_selector = {"type": "TextQuoteSelector", "exact": exact}
        if prefix and not _redacted(prefix):
            quote_selector["prefix"] = prefix
        if suffix and not _redacted(suffix):
            quote_selector["suffix"] = suffix
    archived_selectors = [quote_selector] if quote_selector else []
    positions = _positions(quotation, exact, source) if quote_selector else None
    if positions is None and not quote_selector:
        start, end = quotation.get("start_offset"), quotation.get("end_offset")
        positions = (start, end) if start is not None and end is not None else None
    if positions is not None:
        archived_selectors.append(
            {"type": "TextPositionSelector", "start": positions[0], "end": positions[1]}
        )
    targets = []
    original = source_summary.get("source_url")
    if original and quote_selector:
        targets.append({"type": "SpecificResource", "source": original, "selector": quote_selector})
    archived = {
        "type": "SpecificResource",
        "source": {
            "id": source_summary["html_url"],
            "type": "Text",
            "format": "text/html",
        },
    }
    if archived_selectors:
        archived["selector"] = (
            archived_selectors[0] if len(archived_selectors) == 1 else archived_selectors
        )
    targets.append(archived)
    statement = quotation.get("statement") or {}
    document = {
        "id": annotation_url(base, quotation["id"]),
        "type": "Annotation",
        "motivation": "linking",
        "created": quotation.get("created_at"),
        "modified": quotation.get("updated_at"),
        "body": {
            "id": quotation.get("html_url") or statement.get("html_url"),
            "type": "Text",
            "format": "text/html",
            "language": quotation.get("language") or None,
        },
        "target": targets if len(targets) > 1 else targets[0],
    }
    document = {key: value for key, value in document.items() if value is not None}
    document["body"] = {k: v for k, v in document["body"].items() if v is not None}
    if context:
        document = {"@context": ANNO_CONTEXT, **document}
    return document


def collection(
    source: dict, quotations: list[dict], *, base: str, total: int, page: int | None
) -> dict:
    """A source's AnnotationCollection (with its first page embedded), or the page
    `page` of it (0-based) when asked for one."""
    url = collection_url(base, source["id"])
    last = max(0, (total - 1) // PAGE_SIZE)
    current = page or 0
    items = [annotation(q, source, base=base, context=False) for q in quotations]
    page_document = {
        "id": f"{url}?page={current}",
        "type": "AnnotationPage",
        "partOf": url,
        "startIndex": current * PAGE_SIZE,
        "items": items,
    }
    if current < last:
        page_document["next"] = f"{url}?page={current + 1}"
    if current > 0:
        page_document["prev"] = f"{url}?page={current - 1}"
    if page is not None:
        page_document["partOf"] = {"id": url, "type": "AnnotationCollection", "total": total}
        return {"@context": ANNO_CONTEXT, **page_document}
    return {
        "@context": ANNO_CONTEXT,
        "id": url,
        "type": "AnnotationCollection",
        "label": source.get("title") or "",
        "total": total,
        "first": page_document,
        "last": f"{url}?page={last}",
    }
