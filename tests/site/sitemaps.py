"""Reading the sitemap as a search engine does: its index, then every page it lists."""

import re

SECTION = re.compile(r"<sitemap><loc>https?://[^/]+(/[^<]*)</loc>")


def sitemap_text(client) -> str:
    """The index at /sitemap.xml and every page of every section it lists, as one text."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    texts = [index.content.decode()]
    for path in SECTION.findall(texts[0]):
        page = client.get(path.replace("&amp;", "&"))
        assert page.status_code == 200, path
        texts.append(page.content.decode())
    return "".join(texts)
