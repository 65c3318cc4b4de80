# Samvirke production image. Used by docker-compose.yml (web, worker, beat, migrate).
#
# Two stages: `build` has the tools (uv, Node.js/npm from Debian, gettext) and produces
# /app with its .venv, static/vendor, compiled translations and collected static files;
# the final stage copies /app without node_modules and runs as a non-root user.

FROM python:3.12-slim AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.12 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_PROGRESS=1

RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        gettext nodejs npm \
    && rm -rf /var/lib/apt/lists/*

# Same uv as ./samvirke uses to write uv.lock.
RUN pip install uv==0.13.9

WORKDIR /app

# Python packages first (cached while pyproject.toml / uv.lock are unchanged).
# The "dev" extra (tests, Playwright, ruff) is not installed.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev

# Front-end packages (cached while package*.json are unchanged).
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund --loglevel=error

COPY . .

# Settings need these in production mode; the values are build-only placeholders
# (nothing connects to them) and are not kept in the image.
RUN python scripts/vendor.py \
    && rm -rf node_modules \
    && export SAMVIRKE_ENV=production \
        DJANGO_SECRET_KEY=build-only-not-a-secret \
        DATABASE_URL=postgres://build@127.0.0.1:9/build \
        REDIS_URL=redis://127.0.0.1:9/0 \
    && /app/.venv/bin/python manage.py compilemessages --ignore=.venv -v 0 \
    && /app/.venv/bin/python manage.py collectstatic --noinput -v 0


FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/app/.venv/bin:$PATH \
    SAMVIRKE_ENV=production \
    DJANGO_SETTINGS_MODULE=portal.settings

RUN groupadd --system --gid 10001 samvirke \
    && useradd --system --uid 10001 --gid samvirke --home-dir /app --shell /usr/sbin/nologin samvirke

WORKDIR /app
COPY --from=build /app /app
# Uploaded files and backups live in volumes mounted here; they must be writable by the app user.
RUN mkdir -p /app/media /app/backups && chown samvirke:samvirke /app/media /app/backups

USER samvirke
EXPOSE 8000

CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-"]
