"""Norwegian Bokmål first: the nb catalogue is complete and up to date, and the language
switch works."""

import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "nb" / "LC_MESSAGES" / "django.po"
SOURCE_DIRS = ["portal", "networks", "incidents", "reporting", "start", "templates"]
STRING = r'"((?:[^"\\]|\\.)*)"'
CONTEXT = r'"(?:[^"\\]|\\.)*"'
PATTERNS = [
    re.compile(r"{%\s*(?:translate|trans)\s+" + STRING),
    re.compile(r"(?<![\w.])(?:_|gettext|gettext_lazy)\(\s*" + STRING + r"\s*[,)]"),
    # pgettext("context", "message"): the message is the second argument.
    re.compile(
        r"(?<![\w.])(?:pgettext|pgettext_lazy)\(\s*" + CONTEXT + r"\s*,\s*" + STRING + r"\s*[,)]"
    ),
]


def catalogue():
    text = PO.read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n"):
        if "#, fuzzy" in block and 'msgid ""\nmsgstr ""\n"Project' not in block:
            entries.setdefault("__fuzzy__", []).append(block)
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
        if msgid and msgstr:
            join = lambda s: "".join(re.findall(STRING, s))  # noqa: E731
            entries[join(msgid.group(1))] = join(msgstr.group(1))
    return entries


def test_every_message_is_translated():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_catalogue_holds_every_string_in_the_source():
    entries = catalogue()
    missing = set()
    for folder in SOURCE_DIRS:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".py", ".html", ".txt"} or "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for pattern in PATTERNS:
                for msgid in pattern.findall(text):
                    if msgid and msgid not in entries:
                        missing.add(f"{path.relative_to(ROOT)}: {msgid}")
    assert not missing, "run makemessages -l nb and translate:\n" + "\n".join(sorted(missing))


@pytest.mark.django_db
def test_pages_are_norwegian_by_default_and_english_on_request(login):
    client = login("bergen_manager")
    page = client.get(reverse("networks:municipality-detail", args=["4601"])).content.decode()
    assert 'lang="nb"' in page and "Statistisk sentralbyrå" in page
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("networks:municipality-detail", args=["4601"])).content.decode()
    assert 'lang="en"' in page and "Statistics Norway" in page


@pytest.mark.django_db
def test_an_english_browser_still_gets_norwegian(login):
    client = login("bergen_manager")
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="nb"' in page
