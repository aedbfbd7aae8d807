# Production image: the Django app, served by gunicorn; the same image runs the
# Celery worker and beat (docker-compose.yml).

# --- Front-end assets (GOV.UK and MOJ Frontend, compiled with Sass) ---------------
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend ./frontend
RUN npm run build

# --- Application ---------------------------------------------------------------
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production
WORKDIR /app

# WeasyPrint (the panel report's PDF) draws text with Pango; DejaVu is its font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system app && useradd --system --gid app --home /app app
# matplotlib writes its font cache here (the app user's home is read-only).
ENV MPLCONFIGDIR=/tmp/matplotlib
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir -r requirements/base.txt

COPY . .
COPY --from=assets /build/static_build ./static_build
COPY --from=assets /build/node_modules/govuk-frontend/dist/govuk/assets ./node_modules/govuk-frontend/dist/govuk/assets
COPY --from=assets /build/node_modules/@ministryofjustice/frontend/moj/assets ./node_modules/@ministryofjustice/frontend/moj/assets

# Static files are collected at build time; these values exist only for this step.
# Production settings refuse anything but PostgreSQL; collectstatic never connects to it.
RUN DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://collectstatic@db.invalid:5432/collectstatic CELERY_BROKER_URL=memory:// \
    CACHE_URL=redis://cache.invalid:6379/0 \
    python manage.py collectstatic --no-input --verbosity 0

# Uploads of large files (call data) kept between the web and the worker: a volume
# mounted here (docker-compose.yml) keeps this directory's owner.
RUN mkdir -p /app/var/import-files && chown app:app /app/var/import-files

USER app
EXPOSE 8000
# The access log leaves out query strings (%(U)s is the path alone): searches carry
# people's names and phone numbers.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--access-logformat", "%(h)s %(t)s \"%(m)s %(U)s\" %(s)s %(b)s %(M)sms"]
