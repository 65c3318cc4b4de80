"""The main menu (portal/navigation.py, templates/portal/main_menu.html): at most six
top-level entries for every persona, only pages the user may open, the current place
marked, profile/language/log-out in the header and the API documentation in the footer."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from reporting.models import ReportForm
from tests.helpers import html, org
from tests.personas import user

pytestmark = pytest.mark.django_db

PERSONAS = [
    "bergen_manager",
    "bergen_reader",
    "vestland_officer",
    "dsb_analyst",
    "ks_analyst",
    "snb_coordinator",
    "vest_police_liaison",
    "nobody",
]


class MenuParser(HTMLParser):
    """The main menu of a page: its top-level entries in order, each
    ``{"label", "kind" ("link"/"group"), "current", "links": [(label, href, current)]}``;
    and every link outside the menu (``other_links``)."""

    def __init__(self):
        super().__init__()
        self.entries = []
        self.other_links = []
        self.in_nav = self.in_list = False
        self.depth = 0  # <ul>/<li> nesting inside ul.site-nav__list
        self.text_target = None
        self.link = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "nav" and a.get("aria-label") in ("Hovedmeny", "Main menu"):
            self.in_nav = True
        if not self.in_nav:
            if tag == "a":
                self.other_links.append(a.get("href"))
            return
        if tag == "ul" and "site-nav__list" in classes:
            self.in_list = True
            return
        if not self.in_list:
            return
        if tag in ("ul", "li"):
            self.depth += 1
        if tag == "li" and self.depth == 1:
            self.entries.append({"label": "", "kind": None, "current": None, "links": []})
        entry = self.entries[-1] if self.entries else None
        if "site-nav__top" in classes and entry is not None:
            entry["kind"] = "link" if tag == "a" else "group"
            entry["current"] = a.get("aria-current")
            entry["href"] = a.get("href")
            self.text_target = entry
        elif tag == "a" and entry is not None:
            self.link = [a.get("href"), a.get("aria-current"), ""]

    def handle_endtag(self, tag):
        if not self.in_nav:
            return
        if tag == "nav":
            self.in_nav = self.in_list = False
        if not self.in_list:
            return
        if tag in ("a", "summary"):
            self.text_target = None
        if tag == "a" and self.link is not None:
            href, current, label = self.link
            self.entries[-1]["links"].append((label.strip(), href, current))
            self.link = None
        if tag in ("ul", "li"):
            if self.depth == 0:
                self.in_list = False
            self.depth -= 1

    def handle_data(self, data):
        if self.text_target is not None:
            self.text_target["label"] += data.strip()
        elif self.link is not None:
            self.link[2] += data


def menu(response):
    parser = MenuParser()
    parser.feed(html(response))
    return parser


def all_links(parsed):
    return [link for entry in parsed.entries for link in entry["links"]]


@pytest.mark.parametrize("persona", PERSONAS)
def test_at_most_six_top_level_entries(login, client, persona):
    login(persona)
    parsed = menu(client.get(reverse("home")))
    labels = [e["label"] for e in parsed.entries]
    assert 2 <= len(labels) <= 6, labels
    assert labels[0] == "Nå" and parsed.entries[0]["kind"] == "link"
    assert all(e["kind"] == "group" and e["links"] for e in parsed.entries[1:]), labels
    assert {"Hendelser", "Rapportering", "Katalog"} <= set(labels)


@pytest.mark.parametrize("persona", ["bergen_manager", "vestland_officer", "ks_analyst"])
def test_every_menu_entry_opens(login, client, persona):
    """Entries a user cannot use are not shown: every link in the menu answers 200."""
    login(persona)
    for label, href, _current in all_links(menu(client.get(reverse("home")))):
        response = client.get(href)
        assert response.status_code == 200, (persona, label, href, response.status_code)


def test_role_bound_entries(login, client):
    hrefs = {}
    for persona in ("bergen_manager", "vestland_officer", "ks_analyst", "dsb_analyst"):
        login(persona)
        hrefs[persona] = {href for _l, href, _c in all_links(menu(client.get(reverse("home"))))}
        client.logout()
    builder, ks, overview = (
        reverse("reporting:builder-list"),
        reverse("reporting:ks-summary"),
        reverse("networks:aid-overview"),
    )
    assert builder in hrefs["vestland_officer"] and builder in hrefs["dsb_analyst"]
    assert builder not in hrefs["bergen_manager"] and builder not in hrefs["ks_analyst"]
    assert ks in hrefs["ks_analyst"] and ks in hrefs["dsb_analyst"]
    assert ks not in hrefs["bergen_manager"] and ks not in hrefs["vestland_officer"]
    assert overview in hrefs["vestland_officer"]
    assert overview not in hrefs["bergen_manager"] and overview not in hrefs["ks_analyst"]


def current(parsed):
    """(the current group's label or None, the current links' labels)."""
    groups = [e["label"] for e in parsed.entries if e["current"]]
    links = [label for label, _h, cur in all_links(parsed) if cur == "page"]
    return groups, links


def test_current_place_is_marked(login, client):
    login("bergen_manager")
    assert current(menu(client.get(reverse("home")))) == (["Nå"], [])
    parsed = menu(client.get(reverse("reporting:round-list")))
    assert current(parsed) == (["Rapportering"], ["Rapporteringsrunder"])
    assert parsed.entries[2]["current"] == "true"  # the group: aria-current="true"
    # the longest prefix wins: exercises live under /laering/ but are their own entry
    assert current(menu(client.get(reverse("incidents:exercise-list")))) == (
        ["Kunnskap"],
        ["Øvelser"],
    )
    assert current(menu(client.get(reverse("incidents:my-tasks")))) == (
        ["Hendelser"],
        ["Mine oppgaver"],
    )
    # a page inside an entry: a form's page belongs to the forms
    form = ReportForm.objects.visible_to(user("bergen_manager")).first()
    url = reverse("reporting:form-detail", kwargs={"uuid": form.uuid})
    assert current(menu(client.get(url))) == (["Rapportering"], ["Rapportskjema"])
    # the header's pages mark no menu entry
    assert current(menu(client.get(reverse("profile")))) == ([], [])


def test_own_organisations_in_the_directory_group(login, client):
    login("bergen_manager")
    bergen = org("kommune-4601")
    roster = reverse("networks:roster", kwargs={"org_uuid": bergen.uuid})
    parsed = menu(client.get(roster))
    directory = next(e for e in parsed.entries if e["label"] == "Katalog")
    assert (
        "Beredskapskontakter",
        roster,
        "page",
    ) in directory["links"]
    assert directory["current"] == "true"
    assert bergen.display_name in html(client.get(roster))


def test_header_and_footer_hold_profile_language_logout_and_api_docs(login, client):
    login("bergen_manager")
    response = client.get(reverse("home"))
    parsed = menu(response)
    in_menu = {href for _l, href, _c in all_links(parsed)}
    for name in ("profile", "api:docs", "portal:notifications", "account_logout"):
        assert reverse(name) not in in_menu, name
    assert reverse("profile") in parsed.other_links
    assert reverse("api:docs") in parsed.other_links
    assert reverse("portal:notifications") in parsed.other_links
    page = html(response)
    assert f'action="{reverse("account_logout")}"' in page
    assert f'action="{reverse("set_language")}"' in page
    assert 'class="site-nav__toggle' in page  # the small screens' "Meny" disclosure
