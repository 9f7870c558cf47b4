import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from advocacy.models import Source

pytestmark = pytest.mark.django_db

ARTICLE = """Mothers picket the ministry

May 14, 2024

“We want answers,” said Olga Tsukanova.
"""

RUSSIAN = "Пикет у министерства\n\n«Мы ждём ответа», — сказала Ольга Цуканова.\n"


def run(*args, stdin=None) -> str:
    out = io.StringIO()
    call_command("import_article", *args, stdout=out, stdin=stdin)
    return out.getvalue()


def test_import_a_text_file(tmp_path: Path, cast):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    output = run(str(path))
    source = Source.objects.get()
    assert source.status == "draft" and source.original_filename == "article.txt"
    assert "Candidate statements: 1" in output
    assert "“We want answers”" in output and "speaker: Olga Tsukanova" in output
    assert f"Stored draft source #{source.pk}" in output


def test_dry_run_stores_nothing(tmp_path: Path, cast):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    output = run(str(path), "--dry-run")
    assert "Dry run: nothing was stored." in output
    assert "speaker: Olga Tsukanova" in output
    assert not Source.objects.exists()


def test_standard_input_in_russian(cast):
    output = run("-", "--language", "ru", stdin=io.StringIO(RUSSIAN))
    source = Source.objects.get()
    assert source.language == "ru" and source.title == "Пикет у министерства"
    assert "“Мы ждём ответа”" in output and "speaker: Olga Tsukanova" in output


def test_html_on_standard_input(cast):
    html = (
        "<html><head><title>Mothers picket the ministry</title></head><body><article>"
        "<h1>Mothers picket the ministry</h1><p>Dozens of mothers stood outside the ministry "
        "on Tuesday asking for news of their sons.</p>"
        "<p>“We want answers,” said Olga Tsukanova, who came from Samara.</p>"
        "</article></body></html>"
    )
    output = run("-", "--dry-run", stdin=io.StringIO(html))
    assert "Title: Mothers picket the ministry" in output
    assert "speaker: Olga Tsukanova" in output


def test_a_second_import_is_refused_naming_the_first(tmp_path: Path, db):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    run(str(path))
    first = Source.objects.get()
    with pytest.raises(CommandError, match=f"already stored as source #{first.pk}"):
        run(str(path))
    assert Source.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "No such file"),
        ("article.pdf", b"%PDF", "Unsupported file type .pdf"),
        ("empty.txt", b"", "The text is empty"),
        ("binary.txt", b"\xff\xfe\x00\x00", "not UTF-8"),
    ],
)
def test_bad_input_exits_non_zero_with_a_clear_message(tmp_path: Path, db, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match=message) as error:
        run(str(path))
    assert str(error.value).startswith("Nothing was imported.")
    assert not Source.objects.exists()


def test_exit_status_from_the_command_line(tmp_path: Path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "import_article", str(tmp_path / "nope.txt")],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DEBUG": "1"},
        check=False,
    )
    assert result.returncode != 0
    assert "No such file" in result.stderr


UKRAINIAN = "Пікет біля міністерства\n\n«Ми чекаємо відповіді», — сказала Ольга Цуканова.\n"


def test_the_language_is_detected_and_said_when_not_given(cast):
    output = run("-", stdin=io.StringIO(UKRAINIAN))
    assert Source.objects.get().language == "uk"
    assert "Language: Ukrainian (detected from the text" in output


def test_language_option_overrides_detection(cast):
    output = run("-", "--language", "ru", "--dry-run", stdin=io.StringIO(UKRAINIAN))
    assert "Language: Russian (as given)" in output
