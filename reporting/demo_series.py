"""The demo's daily round series (rapporteringshjul) for ``manage.py load_demo_rounds``:
Helsedirektoratet's Covid-19 form issued every morning to Vestland's municipalities from
20 to 26 January 2022 (seven rounds of one schedule, in the Covid-19 frame), answered by
the municipalities with the omicron wave rising and turning, each day's regional picture
published by Statsforvaltaren i Vestland. Its trend page shows Bergen against the region.

Written through the command's shared steps (the actions, on the command's clock).
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from incidents.log.models import CrisisFrame
from reporting import actions
from reporting.models import RoundSchedule

SERIES_TITLE = "Covid-19: dagleg status i Vestland"
SERIES_START = date(2022, 1, 20)
SERIES_DAYS = 7
#: How the day's cases compare with 19 January: the wave rises, peaks and turns.
WAVE = [1.05, 1.12, 1.2, 1.26, 1.22, 1.12, 1.03]
ASSESSMENT = (
    "Dagleg oversikt over smitte, innleggingar og fråvær i kommunane i Vestland. "
    "Talet på nye tilfelle per 1 000 innbyggjarar er framleis høgt, men veksten har "
    "flata ut dei siste dagane. Statsforvaltaren følgjer opp kommunane som melder raudt."
)


def load_daily_series(command, *, analyst, officer, office, form) -> bool:
    """Issue, answer and publish the seven days; False when the schedule exists."""
    if RoundSchedule.objects.filter(issuer__slug="helsedirektoratet", title=SERIES_TITLE).exists():
        return False
    issuer = form.owner
    command.clock.set(command.at("2022-01-19 18:00"))
    # The schedule is set up the evening before its first day; the rounds below are
    # the ones its daily tick would have issued.
    schedule = actions.do_create_schedule(
        issuer=issuer,
        acting_user=analyst,
        form=form,
        title=SERIES_TITLE,
        time_of_day=time(8, 0),
        deadline_hours=4,
        starts_on=SERIES_START,
        offices=[office],
        frame=CrisisFrame.objects.filter(title="Covid-19").first(),
    )
    members = [m for m in command.municipalities if m.county.office_id == office.pk]
    for day in range(SERIES_DAYS):
        occurrence = SERIES_START + timedelta(days=day)
        command.clock.set(command.at(f"{occurrence:%Y-%m-%d} 08:00"))
        round_ = actions.do_issue_scheduled_round(schedule, occurrence=occurrence)
        plans = []
        for m in members:
            rng = random.Random(f"series-{m.number}-{day}")  # noqa: S311 — demo data
            if m.number not in command.DEMO_MUNICIPALITIES and rng.random() < 0.04:
                continue  # a few miss a day
            answers = command.covid_answers(m, rng)
            answers["nye_tilfeller"] = round(answers["nye_tilfeller"] * WAVE[day])
            answers["i_isolasjon"] = round(answers["i_isolasjon"] * WAVE[day])
            moment = round_.deadline - timedelta(minutes=int(rng.triangular(5, 200, 40)))
            plans.append((moment, m, answers, None, None))
        command.submit_all(round_, plans)
        command.compile(
            round_,
            user=officer,
            office=office,
            assessment=ASSESSMENT,
            publish_at=round_.deadline + timedelta(hours=2),
            forward=False,
        )
        command.clock.set(round_.deadline + timedelta(hours=3))
        actions.do_close_round(round_, acting_user=analyst)
        command.counts["series rounds"] += 1
    command.clock.set(command.at(f"{SERIES_START + timedelta(days=SERIES_DAYS):%Y-%m-%d} 07:00"))
    actions.do_stop_schedule(schedule, acting_user=analyst)
    return True
