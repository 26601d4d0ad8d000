"""50 documents of the same type issued in parallel get 50 distinct consecutive numbers (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from apps.documents import services
from apps.documents.models import OutgoingDocument, OutgoingStatus

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 50


def test_fifty_parallel_numberings_get_distinct_consecutive_numbers(actors, tree, doc_types):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL (run with DATABASE_URL=postgres://…)")
    register = services.default_register(tree["agency"], "outgoing")
    docs = [
        OutgoingDocument.objects.create(
            organization=tree["agency"],
            drafting_unit=tree["tech"],
            register=register,
            doc_type=doc_types["KH"],
            summary=f"Kế hoạch số {i}",
            status=OutgoingStatus.APPROVED,
            created_by=actors["specialist"],
        )
        for i in range(PARALLEL)
    ]
    barrier = threading.Barrier(PARALLEL)
    errors = []

    def work(doc):
        try:
            barrier.wait()
            services.number_outgoing(actors["clerk"], doc)
        except Exception as exc:  # noqa: BLE001 — collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(d,)) for d in docs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    numbers = sorted(
        OutgoingDocument.objects.filter(pk__in=[d.pk for d in docs]).values_list("number", flat=True)
    )
    assert numbers == list(range(1, PARALLEL + 1))
    symbols = set(OutgoingDocument.objects.values_list("number_symbol", flat=True))
    assert "01/KH-SKHCN" in symbols and f"{PARALLEL}/KH-SKHCN" in symbols and len(symbols) == PARALLEL
