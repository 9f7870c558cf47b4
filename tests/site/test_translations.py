"""The public interface is complete in Russian and Ukrainian, and the catalogs compile."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "advocacy" / "locale"
PUBLIC = ("templates/", "advocacy/views/", "advocacy/templatetags/", "advocacy/feeds.py")


def public_entries(language: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) of every message the public pages use."""
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n")[1:]:
        refs = [line for line in block.splitlines() if line.startswith("#:")]
        if not any(path in ref and "templates/admin" not in ref for ref in refs for path in PUBLIC):
            continue
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', block.split("msgstr")[0], re.M))
        msgstr = "".join(re.findall(r'"(.*)"', block[block.index("msgstr") :].split("\n#")[0]))
        entries.append((msgid, msgstr))
    return entries


@pytest.mark.parametrize("language", ["ru", "uk"])
def test_every_public_message_is_translated(language):
    entries = public_entries(language)
    assert len(entries) > 150
    missing = [msgid for msgid, msgstr in entries if not msgstr and msgid]
    assert not missing, missing
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").stat().st_size > 10_000


@pytest.mark.parametrize(
    ("language", "expected"), [("ru", "Источники расходятся"), ("uk", "Джерела розходяться")]
)
def test_compiled_catalog_is_used(language, expected):
    with translation.override(language):
        assert translation.gettext("Sources disagree") == expected
        assert translation.ngettext("%(counter)s record", "%(counter)s records", 5) % {
            "counter": 5
        } in ("5 записей", "5 записів")
