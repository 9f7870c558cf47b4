"""The layers, checked: public surfaces that read the public rows import nothing that reads
the working records (the models, the selectors, the serializers, hand-placed redaction or
search over the working tables). The builders are the only public code that may."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

# Modules that serve the public from the public rows only.
PUBLIC_READERS = [
    "advocacy/feeds.py",
    "advocacy/sitemaps.py",
    "advocacy/views/about.py",
    "advocacy/i18n.py",
    "advocacy/exports.py",
    "advocacy/views/exports.py",
    "advocacy/publication/reading.py",
    "advocacy/publication/filters.py",
    "advocacy/views/base.py",
    "advocacy/views/missing.py",
    "advocacy/views/records.py",
    "advocacy/views/search.py",
    "advocacy/views/timeline.py",
    "advocacy/views/presentation.py",
    "advocacy/templatetags/advocacy_tags.py",
    "advocacy/publication/lexicon.py",
    "advocacy/publication/counting.py",
    "advocacy/templatetags/public_counts.py",
    "advocacy/reconcile/service.py",
    "advocacy/reconcile/views.py",
    "advocacy/reconcile/urls.py",
    "advocacy/formats/documents.py",
    "advocacy/formats/ftm.py",
    "advocacy/formats/annotations.py",
    "advocacy/formats/popolo.py",
    "advocacy/formats/releases.py",
    "advocacy/api/formats.py",
    "advocacy/views/data.py",
    "advocacy/management/commands/export_ftm.py",
    "advocacy/management/commands/make_release.py",
]
# What reads or renders the working records.
WORKING = (
    "advocacy.models",
    "advocacy.selectors",
    "advocacy.api.serializers",
    "advocacy.api.audience",
    "advocacy.redaction",
    "advocacy.search",
    "advocacy.filters",
    "advocacy.publication.builders",
    "advocacy.publication.pages",
)
ALLOWED = ("advocacy.models.public",)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def forbidden(modules: set[str]) -> list[str]:
    return sorted(
        module
        for module in modules
        if module.startswith(WORKING) and not module.startswith(ALLOWED)
    )


@pytest.mark.parametrize("module", PUBLIC_READERS)
def test_public_readers_import_no_working_records(module):
    path = Path(settings.BASE_DIR) / module
    assert forbidden(imported_modules(path)) == [], module


def test_the_check_would_catch_a_working_import(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("from advocacy.models import Statement\nfrom advocacy import selectors\n")
    assert forbidden(imported_modules(sneaky)) == [
        "advocacy.models",
        "advocacy.models.Statement",
        "advocacy.selectors",
    ]
