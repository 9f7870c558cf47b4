"""Issue 12 end to end in a browser: paste an article with its source details, review the
statements and the proposed person, membership and event, accept, land on what was
created, publish the source."""

import pytest
from django.contrib.auth.models import Group as AuthGroup

from advocacy.models import Event, Membership, Person, Source, Statement
from advocacy.services.roles import EDITOR, roles_setup
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTICLE = """Wives of mobilised men rally in Tver

Dozens of women held a rally outside the regional government in Tver on Saturday, March 2, 2024.

"We want our husbands home," said Marina Belova, a spokeswoman for the group Wives of Tver.
"""


@pytest.fixture
def editor(transactional_db):
    roles_setup()
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(AuthGroup.objects.get(name=EDITOR))
    return user


def test_paste_review_accept_land_and_publish(live_server, tab, editor):
    tab.goto(f"{live_server.url}/admin/login/")
    tab.fill("#id_username", "editor")
    tab.fill("#id_password", "correct horse battery staple")
    tab.click("input[type=submit]")

    tab.click("text=Add article")  # from the admin's home page
    tab.fill("#id_text", ARTICLE)
    tab.fill("#id_publisher", "Tver Today")
    tab.fill("#id_url", "https://tver.example.org/rally")
    tab.fill("#id_authors", "Ivan Reporter")
    tab.fill("#id_published_on", "2024-03-04")
    tab.click("input[type=submit]")

    message = tab.locator(".messagelist").inner_text()
    assert "1 candidate statement, read as English (detected" in message
    proposals = tab.locator("#proposals")
    assert "Marina Belova" in proposals.inner_text()
    assert "spokeswoman, Wives of Tver (new)" in proposals.inner_text()
    assert "rally outside the regional government" in proposals.inner_text()
    tab.click("input[value='Save decisions']")

    # Landed on the statements just created, with links to the other new records.
    messages = tab.locator(".messagelist").inner_text()
    assert "/admin/advocacy/statement/" in tab.url and "source=" in tab.url
    assert "Also created as drafts" in messages
    assert tab.locator("#result_list tbody tr").count() == 1
    statement = Statement.objects.get()
    assert statement.speaker_person == Person.objects.get(name="Marina Belova")
    assert Membership.objects.get().role == "spokeswoman"
    assert statement.event == Event.objects.get()

    source = Source.objects.get()
    tab.goto(f"{live_server.url}/admin/advocacy/source/")
    tab.check(f"input[name=_selected_action][value='{source.pk}']")
    tab.select_option("select[name=action]", "publish")
    tab.click("button[name=index]")
    tab.locator(".messagelist").wait_for()
    source.refresh_from_db()
    assert source.status == "published", tab.content()
    assert (source.publisher, source.url) == ("Tver Today", "https://tver.example.org/rally")
