"""The table of the "ratelimit" database cache (settings.CACHES), as ``createcachetable``
makes it, so that ``migrate`` alone prepares an installation."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0005_task_outbox"),
    ]

    operations = [
        migrations.RunSQL(
            sql=[
                'CREATE TABLE IF NOT EXISTS "portal_ratelimit_cache" ('
                '"cache_key" varchar(255) NOT NULL PRIMARY KEY, '
                '"value" text NOT NULL, '
                '"expires" timestamp with time zone NOT NULL)',
                'CREATE INDEX IF NOT EXISTS "portal_ratelimit_cache_expires" '
                'ON "portal_ratelimit_cache" ("expires")',
            ],
            reverse_sql=['DROP TABLE IF EXISTS "portal_ratelimit_cache"'],
        ),
    ]
