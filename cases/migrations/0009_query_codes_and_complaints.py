"""Data: every existing case gets its query code (SPEC §10), and the ``complaint_received`` /
``complaint_answered`` milestones move onto ``Complaint`` rows (SPEC §11) keeping their clocks: each
COMPLAINT_REPLY deadline that ran on the case is re-pointed, as it is — start, due, status, shifts —
at the complaint it was started for."""

import secrets

from django.db import migrations

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # cases.parties.codes.ALPHABET at the time of writing


def issue_codes(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    taken: dict[int, set[str]] = {}
    for court_id, code in Case.objects.exclude(query_code="").values_list("court_id", "query_code"):
        taken.setdefault(court_id, set()).add(code)
    for case in Case.objects.filter(query_code="").only("pk", "court_id").iterator():
        used = taken.setdefault(case.court_id, set())
        code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        while code in used:
            code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        used.add(code)
        Case.objects.filter(pk=case.pk).update(query_code=code)


def move_complaints(apps, schema_editor):
    Milestone = apps.get_model("cases", "Milestone")
    Complaint = apps.get_model("cases", "Complaint")
    Deadline = apps.get_model("deadlines", "Deadline")
    kinds = ("complaint_received", "complaint_answered")
    by_case: dict[int, list] = {}
    for m in Milestone.objects.filter(kind__in=kinds).order_by("case_id", "occurred_at", "id"):
        by_case.setdefault(m.case_id, []).append(m)
    for case_id, milestones in by_case.items():
        open_ones: list = []
        complaints: list = []
        for m in milestones:
            if m.kind == "complaint_received":
                c = Complaint.objects.create(
                    case_id=case_id, content=m.note or "（原“收到当事人投诉”节点，未记录内容）", received_at=m.occurred_at,
                    received_by_id=m.recorded_by_id, status="received", last_event_at=m.occurred_at)
                open_ones.append(c)
                complaints.append(c)
                continue
            # An answer answers the oldest complaint still open; one with no complaint before it keeps its
            # own record, received and answered at once, so nothing recorded is lost.
            c = open_ones.pop(0) if open_ones else Complaint.objects.create(
                case_id=case_id, content="（原记录仅有“已答复当事人投诉”节点）", received_at=m.occurred_at,
                received_by_id=m.recorded_by_id, status="received", last_event_at=m.occurred_at)
            if c not in complaints:
                complaints.append(c)
            Complaint.objects.filter(pk=c.pk).update(
                status="answered", answer=m.note or "（原节点记录已答复，未记录答复内容）", answered_at=m.occurred_at,
                answered_by_id=m.recorded_by_id, last_event_at=m.occurred_at)
        # Each clock goes to the complaint received last at or before its start (the start event's time).
        received = sorted(complaints, key=lambda c: c.received_at)
        clocks = Deadline.objects.filter(node="COMPLAINT_REPLY", subject_type="case", subject_id=case_id)
        for d in clocks.order_by("started_at", "id"):
            before = [c for c in received if c.received_at <= d.started_at]
            target = before[-1] if before else (received[0] if received else None)
            if target is not None:
                Deadline.objects.filter(pk=d.pk).update(subject_type="complaint", subject_id=target.pk)
        Milestone.objects.filter(case_id=case_id, kind__in=kinds).delete()


def restore_milestones(apps, schema_editor):
    """Back to milestones: each complaint becomes its received (and answered) milestone again, and its
    clock points at the case."""
    Milestone = apps.get_model("cases", "Milestone")
    Complaint = apps.get_model("cases", "Complaint")
    Deadline = apps.get_model("deadlines", "Deadline")
    for c in Complaint.objects.order_by("received_at", "id"):
        Milestone.objects.create(case_id=c.case_id, kind="complaint_received", occurred_at=c.received_at,
                                 recorded_by_id=c.received_by_id, note=c.content)
        if c.answered_at is not None:
            Milestone.objects.create(case_id=c.case_id, kind="complaint_answered", occurred_at=c.answered_at,
                                     recorded_by_id=c.answered_by_id or c.received_by_id, note=c.answer)
        Deadline.objects.filter(node="COMPLAINT_REPLY", subject_type="complaint", subject_id=c.pk).update(
            subject_type="case", subject_id=c.case_id)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0008_parties_complaints"),
        ("deadlines", "0006_deadline_holds"),
    ]

    operations = [
        migrations.RunPython(issue_codes, migrations.RunPython.noop),
        migrations.RunPython(move_complaints, restore_milestones),
    ]
