"""Read queries, already scoped with apps.organizations.scoping.restrict()."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from apps.organizations.roles import Role
from apps.organizations.scoping import Action, restrict

from .models import Confidentiality, IncomingDocument, OutgoingDocument, ReviewStep
from .text import normalize


def _org_condition(scope, *fields) -> Q:
    condition = Q(pk__in=[])
    if scope.organization_ids:
        for field in fields:
            condition |= Q(**{f"{field}__in": scope.organization_ids})
    return condition


def _cooperating(scope) -> Q:
    """A cooperating unit in scope, as EXISTS on the outer row: a join through the many-to-many
    table would repeat documents, and wrapping the scope in `pk IN (…)` made the paginator's COUNT
    probe it once per document (bench/README.md: 708 ms at 180,000 documents)."""
    if not scope.organization_ids:
        return Q(pk__in=[])
    through = IncomingDocument.cooperating_units.through
    units = scope.organization_ids
    rows = through.objects.filter(incomingdocument_id=OuterRef("pk"), organization_id__in=units)
    return Q(Exists(rows))


# Roles that see classified (mật) documents of their scope; others only those they take part in.
CLASSIFIED_READERS = {Role.LEADER, Role.CLERK, Role.ADMINISTRATOR}


def _sees_classified(user) -> bool:
    from .services import roles_of

    return bool(roles_of(user) & CLASSIFIED_READERS)


def incoming_for(user, action=Action.VIEW) -> QuerySet:
    scope = restrict(user, action)
    qs = IncomingDocument.objects.all()
    if scope.everything:
        return qs
    involved = Q(pk__in=[])
    if scope.own and getattr(user, "is_authenticated", False):
        involved = Q(handler=user) | Q(created_by=user) | Q(leader=user)
    reach = _org_condition(scope, "organization_id", "lead_unit_id") | _cooperating(scope)
    if not _sees_classified(user):
        reach &= Q(confidentiality=Confidentiality.NORMAL)
    return qs.filter(reach | involved)


def outgoing_for(user, action=Action.VIEW) -> QuerySet:
    scope = restrict(user, action)
    qs = OutgoingDocument.objects.all()
    if scope.everything:
        return qs
    involved = Q(pk__in=[])
    if scope.own and getattr(user, "is_authenticated", False):
        reviewing = Exists(ReviewStep.objects.filter(document_id=OuterRef("pk"), reviewer=user))
        involved = Q(created_by=user) | Q(reviewing) | Q(signer=user)
    reach = _org_condition(scope, "organization_id", "drafting_unit_id")
    if not _sees_classified(user):
        reach &= Q(confidentiality=Confidentiality.NORMAL)
    return qs.filter(reach | involved)


def search(qs: QuerySet, q: str) -> QuerySet:
    """Every word of the query, insensitive to diacritics, over summary, metadata and PDF text.

    `search_text` is already lower-case without diacritics (text.normalize), so one substring match
    per word works on every database, partial numbers such as "172/KH" included; on PostgreSQL a
    trigram index (migration 0006) serves it. A full-text match added nothing: every document whose
    words match also contains them as substrings.
    """
    terms = normalize(q).split()
    if not terms:
        return qs
    contains = Q()
    for term in terms:
        contains &= Q(search_text__contains=term)
    return qs.filter(contains)


INCOMING_LIST_RELATED = ("doc_type", "lead_unit", "handler", "register", "answer")
OUTGOING_LIST_RELATED = ("doc_type", "drafting_unit", "signer", "created_by", "signed_file")
