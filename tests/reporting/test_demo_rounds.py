"""``manage.py load_demo_rounds``: plausible rounds through the actions (revisions, late
decided by the deadline), published pictures for every demo municipality, an open round
for each, and nothing written on a second run."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from reporting.models import (
    Compilation,
    ReportingRound,
    Submission,
    SubmissionRevision,
    SubmissionStatus,
)
from reporting.validation import validate_answers

pytestmark = pytest.mark.django_db

COVID = "Covid-19: status i kommunene 19. januar 2022"
HANS = "Ekstremværet Hans: situasjonsrapport onsdag 9. august kl. 12"
DEMO_WRITERS = {
    "bergen.beredskap@demo.samvirke.no": "kommune-4601",
    "stavanger.beredskap@demo.samvirke.no": "kommune-1103",
    "sandnes.beredskap@demo.samvirke.no": "kommune-1108",
    "drammen.krisestab@demo.samvirke.no": "kommune-3301",
    "snb.koordinator@demo.samvirke.no": "kommune-5001",
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Loaded once for the module, in a transaction rolled back at its end."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo_incidents", stdout=StringIO())
            out = StringIO()
            call_command("load_demo_rounds", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def counts(round_):
    submissions = Submission.objects.filter(round=round_)
    submitted = submissions.filter(status=SubmissionStatus.SUBMITTED)
    return {
        "recipients": round_.recipients.count(),
        "submitted": submitted.count(),
        "late": submitted.filter(is_late=True).count(),
        "missing": submissions.exclude(status=SubmissionStatus.SUBMITTED).count(),
    }


def test_covid_round_goes_through_every_office(demo):
    round_ = ReportingRound.objects.get(title=COVID)
    c = counts(round_)
    assert c["recipients"] == 357
    assert c["submitted"] > 300 and c["late"] > 0 and c["missing"] > 0
    assert round_.deadline < round_.closed_at
    assert round_.issuer.slug == "helsedirektoratet" and round_.frame.title == "Covid-19"
    # Late is what do_submit decided against the deadline, and every submission has its
    # revision (amendments a second one).
    for s in Submission.objects.filter(round=round_, status=SubmissionStatus.SUBMITTED):
        assert s.is_late == (s.submitted_at > round_.deadline)
    submitted = Submission.objects.filter(round=round_, status=SubmissionStatus.SUBMITTED)
    assert SubmissionRevision.objects.filter(submission__in=submitted, number=1).count() == (
        submitted.count()
    )
    assert SubmissionRevision.objects.filter(submission__round=round_, number=2).exists()


def test_answers_are_valid_and_varied(demo):
    round_ = ReportingRound.objects.get(title=COVID)
    definition = round_.form_version.definition
    rows = list(
        Submission.objects.filter(round=round_, status=SubmissionStatus.SUBMITTED).values_list(
            "answers", "municipality__municipality__population"
        )
    )
    statuses = {"green": 0, "yellow": 0, "red": 0}
    for answers, _population in rows:
        _cleaned, errors = validate_answers(definition, answers)
        assert not errors
        statuses[answers["personell_status"]["status"]] += 1
    assert statuses["green"] > statuses["yellow"] > statuses["red"] > 0
    # Bigger municipalities report more cases.
    oslo = next(a for a, p in rows if p > 700_000)
    smallest = min(rows, key=lambda r: r[1])[0]
    assert oslo["nye_tilfeller"] > 50 * max(1, smallest["nye_tilfeller"])


def test_published_compilations(demo):
    covid = ReportingRound.objects.get(title=COVID)
    regional = Compilation.objects.filter(round=covid, level="regional")
    assert regional.count() >= 3
    assert all(c.published_at and c.forwarded_at and c.assessment for c in regional)
    national = Compilation.objects.get(round=covid, level="national")
    assert national.published_at and national.aggregates["counts"]["recipients"] == 357
    assert national.aggregates["counts"]["missing"] > 0

    hans = ReportingRound.objects.get(title=HANS)
    assert hans.issuer.slug == "statsforvalteren-ostfold-buskerud-oslo-og-akershus"
    assert hans.frame.title == "Ekstremværet Hans"
    c = counts(hans)
    assert c["recipients"] == 52 and c["late"] > 0 and c["missing"] > 0
    picture = Compilation.objects.get(round=hans, level="regional")
    assert picture.published_at and "Drammen" in picture.assessment
    assert any(h["municipality"] == "Drammen kommune" for h in picture.aggregates["needs_help"])


def test_every_demo_municipality_has_an_open_round_and_a_picture(demo):
    users = get_user_model().objects.filter(email__in=DEMO_WRITERS)
    assert users.count() == len(DEMO_WRITERS)
    for user in users:
        slug = DEMO_WRITERS[user.email]
        mine = Submission.objects.visible_to(user).filter(municipality__slug=slug)
        open_drafts = mine.filter(round__closed_at__isnull=True, status=SubmissionStatus.DRAFT)
        assert open_drafts.exists(), user.email
        assert all(s.round.deadline > s.round.opened_at for s in open_drafts)
        pictures = Compilation.objects.visible_to(user).filter(published_at__isnull=False)
        assert pictures.exists(), user.email
        assert mine.filter(
            status=SubmissionStatus.SUBMITTED, round__compilations__in=pictures
        ).exists(), user.email


def test_reporters_cannot_log_in(demo):
    reporters = get_user_model().objects.filter(username__startswith="demo-rapportor-")
    assert reporters.count() == 357 - 5
    assert not reporters.filter(is_active=True).exists()
    assert not any(u.has_usable_password() for u in reporters[:5])


def test_second_run_writes_nothing(demo):
    before = (
        ReportingRound.objects.count(),
        Submission.objects.count(),
        SubmissionRevision.objects.count(),
        Compilation.objects.count(),
        get_user_model().objects.count(),
    )
    out = StringIO()
    call_command("load_demo_rounds", stdout=out)
    assert re.search(r"0 created, 4 unchanged", out.getvalue())
    after = (
        ReportingRound.objects.count(),
        Submission.objects.count(),
        SubmissionRevision.objects.count(),
        Compilation.objects.count(),
        get_user_model().objects.count(),
    )
    assert after == before
