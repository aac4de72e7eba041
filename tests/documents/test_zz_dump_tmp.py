import pytest
from enforcement.documents import document_generate
from tests.documents.conftest import disbursement_of

@pytest.mark.django_db
def test_dump(case, people, restriction, listing):
    d = disbursement_of(case, people)
    for kind, subj in [("execution_notice", None), ("property_report_order", None),
                       ("consumption_restriction_order", restriction.pk), ("dishonest_decision", listing.pk),
                       ("termination_ruling", None), ("payment_notice", d.pk)]:
        doc = document_generate(case=case, kind=kind, actor=people.judge, subject_id=subj)
        open(f"/tmp/docs_{kind}.pdf", "wb").write(bytes(doc.content))
