"""Home addresses are encrypted at rest like the other sensitive fields; employee numbers are stored in
their canonical form (NFKC, upper case) so that ``e000001`` / ``Ｅ000001`` / ``E000001`` are one number.

Both data steps use raw SQL: the historical model's encrypted field would try to decrypt the clear
addresses. An employee number whose canonical form clashes with another employee's of the same company
is left as it is (printed), for HR to resolve; the uniqueness check of new input uses the canonical form.
"""

import unicodedata

from django.db import migrations

import hrguard.core.fields

CONTEXT = "people.employee.address"


def _canonical(value):
    return unicodedata.normalize("NFKC", value or "").casefold().upper().strip()


def encrypt_addresses(apps, schema_editor):
    from hrguard.core import crypto

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, address FROM people_employee WHERE address <> ''")
        rows = cursor.fetchall()
        for pk, value in rows:
            try:
                crypto.decrypt(value, CONTEXT)
                continue  # already encrypted
            except crypto.DecryptionError:
                pass
            cursor.execute(
                "UPDATE people_employee SET address = %s WHERE id = %s", [crypto.encrypt(value, CONTEXT), pk]
            )


def decrypt_addresses(apps, schema_editor):
    from hrguard.core import crypto

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, address FROM people_employee WHERE address <> ''")
        for pk, value in cursor.fetchall():
            try:
                clear = crypto.decrypt(value, CONTEXT)
            except crypto.DecryptionError:
                continue
            cursor.execute("UPDATE people_employee SET address = %s WHERE id = %s", [clear[:300], pk])


def normalise_employee_numbers(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, company_id, employee_no FROM people_employee ORDER BY id")
        rows = cursor.fetchall()
        taken = {(company, no) for _pk, company, no in rows}
        for pk, company, no in rows:
            canonical = _canonical(no)
            if canonical == no:
                continue
            if (company, canonical) in taken:
                print(f"  employee {pk}: number {no!r} clashes with {canonical!r}; left unchanged")
                continue
            cursor.execute("UPDATE people_employee SET employee_no = %s WHERE id = %s", [canonical, pk])
            taken.discard((company, no))
            taken.add((company, canonical))


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_employee_name_trigram"),
    ]

    operations = [
        migrations.AlterField(
            model_name="employee",
            name="address",
            field=hrguard.core.fields.EncryptedTextField(
                blank=True, context="people.employee.address", default="", verbose_name="address"
            ),
        ),
        migrations.RunPython(encrypt_addresses, decrypt_addresses, elidable=False),
        migrations.RunPython(normalise_employee_numbers, migrations.RunPython.noop, elidable=False),
    ]
