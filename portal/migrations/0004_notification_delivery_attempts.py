from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_notification_kinds"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="email_attempts",
            field=models.PositiveSmallIntegerField(
                default=0, verbose_name="failed e-mail attempts"
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="email_error",
            field=models.TextField(blank=True, verbose_name="last e-mail error"),
        ),
        migrations.AddField(
            model_name="notification",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="next e-mail attempt"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="email_state",
            field=models.CharField(
                choices=[
                    ("pending", "Pending"),
                    ("sending", "Sending"),
                    ("sent", "Sent"),
                    ("not_needed", "No e-mail"),
                    ("failed", "Given up"),
                ],
                default="pending",
                max_length=20,
                verbose_name="e-mail",
            ),
        ),
    ]
