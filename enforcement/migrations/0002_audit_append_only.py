from django.db import migrations

from enforcement.db import append_only


class Migration(migrations.Migration):
    """The audit trail refuses UPDATE and DELETE in the database itself (SPEC §12)."""

    dependencies = [("enforcement", "0001_initial")]

    operations = [append_only("enforcement_auditevent")]
