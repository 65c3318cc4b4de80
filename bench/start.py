"""Benchmark of the start page «Nå» (issue 13 part 1) for the demo users.

In the development database after ``./samvirke run``'s loading (the structure, the demo
accounts, incidents, report forms and rounds — Bergen's open "Kraftig vind" round among
them): each demo user's page ``/`` through the test client (the full middleware stack,
the viewer, every block's query, the template), against the same SQL statements the page
ran, replayed through psycopg (the database's share). The goal is absolute: at most
40 ms of server time for Bergen's emergency manager; the other personas are reported.
"""

from __future__ import annotations

import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

#: Demo accounts (portal.demo.DEMO_ACCOUNTS) and the goal in milliseconds, if any.
PERSONAS = [
    ("bergen.beredskap@demo.samvirke.no", 40.0),
    ("vestland.statsforvalter@demo.samvirke.no", None),
    ("dsb.analytiker@demo.samvirke.no", None),
    ("ks.analytiker@demo.samvirke.no", None),
]


def logged_in(user) -> Client:
    """A client logged in as ``user``, past the second factor where the user has TOTP."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.mfa.models import Authenticator

    client = Client()
    client.force_login(user)
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    now = time.time()
    session = client.session
    methods = [{"method": "password", "at": now, "email": user.email}]
    if totp is not None:
        methods.append({"method": "mfa", "at": now, "id": totp.pk, "type": "totp"})
    session[AUTHENTICATION_METHODS_SESSION_KEY] = methods
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


class StartPage:
    goal = None  # no ratio goal: the goal is ``limit_ms``
    repeat = 30

    def __init__(self, email, limit_ms):
        self.email = email
        self.limit_ms = limit_ms
        self.name = f"start page, {email.split('@')[0]}"
        self.notes: list[str] = []
        self.available = True

    def setup(self):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(email=self.email).first()
        if user is None:
            self.available = False
            self.notes.append(f"no demo user {self.email}: run ./samvirke run once")
            return
        self.client = logged_in(user)
        response = self.client.get("/")
        assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as queries:
            self.client.get("/")
        self.statements = [q["sql"] for q in queries.captured_queries]
        page = response.content.decode()
        shown = page.count("<li>") - page.count("data-empty")
        self.notes.append(
            f"  {len(self.statements)} queries, {len(page) // 1024} KiB of HTML"
            f"{', the Kraftig vind round shown' if 'Kraftig vind' in page else ''}"
            f" ({shown} list rows)"
        )

    def portal(self):
        self.client.get("/")

    def raw(self, cursor):
        for sql in self.statements:
            cursor.execute(sql)
            if cursor.description:
                cursor.fetchall()


ALL = [StartPage(email, limit) for email, limit in PERSONAS]
