from django.db import migrations, models

from enforcement.db import reinstate_append_only

_before, _after = reinstate_append_only("enforcement_auditevent")


class Migration(migrations.Migration):
    """Audit hashes become HMACs under AUDIT_KEY (SPEC §12).

    Rows already written keep their plain SHA-256 hash and are labelled scheme 1: re-keying them is
    impossible without rewriting rows the triggers protect, and each later row's ``prev_hash``
    points at the old hash anyway. Adding the column with a constant default changes no row (no
    UPDATE reaches the append-only trigger); every new row is written with scheme 2.
    """

    dependencies = [("enforcement", "0003_document")]

    operations = [
        _before,
        migrations.AddField(
            model_name="auditevent",
            name="scheme",
            field=models.PositiveSmallIntegerField(
                choices=[(1, "SHA-256（无密钥，旧）"), (2, "HMAC-SHA256（密钥）")], default=1, editable=False,
                verbose_name="哈希算法",
            ),
            preserve_default=False,
        ),
        _after,
    ]
