#!/usr/bin/env bash
# Type-check Samvirke (configuration in pyproject.toml, [tool.mypy]). django-stubs loads
# the settings, which need a database and a Redis URL but connect to neither: point them
# at addresses nothing listens on, so the check never starts the embedded servers.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL=postgres://mypy@127.0.0.1:1/mypy REDIS_URL=redis://127.0.0.1:1/0 SAMVIRKE_ENV=test
exec .venv/bin/mypy --cache-dir .local/mypy-cache "$@"
