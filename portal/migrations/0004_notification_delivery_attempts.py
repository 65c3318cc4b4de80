from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_api_tokens"),
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
            name="kind",
            field=models.CharField(
                choices=[
                    ("reminder", "Reminder"),
                    ("late", "Overdue"),
                    ("round_issued", "New reporting round"),
                    ("published", "Published situation picture"),
                    ("acknowledged", "Report acknowledged"),
                    ("comment", "Comment"),
                    ("export_ready", "Export ready"),
                    ("new_version", "New version of a document"),
                    ("comment_round", "Comment round"),
                    ("assistance", "Request for assistance"),
                    ("offer", "Offer of assistance"),
                    ("agreement_expiring", "Agreement expiring"),
                    ("procurement", "Joint procurement"),
                    ("task", "Task"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
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
