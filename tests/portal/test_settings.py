"""Production settings pass Django's deployment checks; the project's own checks pass."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "SAMVIRKE_ENV": "production",
        "DJANGO_SECRET_KEY": "x9!" + "k" * 30 + "Qz7#" + "w" * 20,
        "DJANGO_ALLOWED_HOSTS": "samvirke.example.no",
        # the running test servers: some model checks ask the database for its features
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
    }
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_migrations_are_complete():
    result = run_manage("makemigrations", "--check", "--dry-run", env=dict(os.environ))
    assert result.returncode == 0, result.stdout + result.stderr
