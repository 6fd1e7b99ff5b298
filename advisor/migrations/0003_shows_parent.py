from django.db import migrations, models


class Migration(migrations.Migration):
    """Versions saved before this release linked to their parent, and their pages keep doing so;
    from now on a version links to its parent only when its maker chooses to."""

    dependencies = [
        ("advisor", "0002_rate_counters_and_heartbeat"),
    ]

    operations = [
        migrations.AddField(
            model_name="recommendation",
            name="shows_parent",
            field=models.BooleanField(default=True),
        ),
        migrations.AlterField(
            model_name="recommendation",
            name="shows_parent",
            field=models.BooleanField(default=False),
        ),
    ]
