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


SETUP = "import django; django.setup(); from django.conf import settings; print(settings.{})"


def run_python(code, env):
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def env_without(*names, **extra):
    env = {k: v for k, v in os.environ.items() if k not in names}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    return {**env, **extra}


def test_without_samvirke_env_a_process_runs_as_production_and_needs_a_secret_key():
    env = env_without("SAMVIRKE_ENV", "DJANGO_SECRET_KEY", "DJANGO_DEBUG")
    result = run_python(SETUP.format("DEBUG"), env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "SAMVIRKE_ENV" in result.stderr  # it says how to get development defaults
    production = run_python(
        SETUP.format("SAMVIRKE_ENV, settings.DEBUG"),
        {**env, "DJANGO_SECRET_KEY": "k" * 50, "DJANGO_ALLOWED_HOSTS": "samvirke.example.no"},
    )
    assert production.returncode == 0, production.stderr
    assert production.stdout.split() == ["production", "False"]


def test_with_samvirke_env_development_it_starts_as_before():
    env = env_without(
        "SAMVIRKE_ENV", "DJANGO_SECRET_KEY", "DJANGO_DEBUG", SAMVIRKE_ENV="development"
    )
    result = run_python(SETUP.format("SAMVIRKE_ENV, settings.DEBUG"), env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["development", "True"]


def test_the_trusted_proxies_for_the_rate_limits_come_from_the_environment():
    env = env_without("SAMVIRKE_ENV", SAMVIRKE_ENV="test")
    code = (
        "import django; django.setup(); from allauth import app_settings as a; "
        "print(a.TRUSTED_PROXY_COUNT, a.TRUSTED_CLIENT_IP_HEADER)"
    )
    assert run_python(code, env).stdout.split() == ["0", "None"]
    counted = run_python(code, {**env, "SAMVIRKE_TRUSTED_PROXY_COUNT": "1"})
    assert counted.stdout.split() == ["1", "None"], counted.stderr
    header = run_python(code, {**env, "SAMVIRKE_CLIENT_IP_HEADER": "X-Real-IP"})
    assert header.stdout.split() == ["0", "X-Real-IP"], header.stderr
