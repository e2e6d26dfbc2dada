# The rate-limit counter now belongs to core (core/0001); its table stays.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0003_audit_history"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RateLimitCounter")],
            database_operations=[],
        ),
    ]
