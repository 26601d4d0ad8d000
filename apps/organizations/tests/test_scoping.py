import pytest

from apps.organizations.models import Membership
from apps.organizations.roles import Role
from apps.organizations.scoping import restrict


@pytest.mark.django_db
def test_reach_by_role(users, tree):
    ids = {k: v.pk for k, v in tree.items()}
    leader = restrict(users[Role.LEADER], "view")
    assert leader.organization_ids == {ids["agency"], ids["office"], ids["tech"]}
    head = restrict(users[Role.UNIT_HEAD], "view")
    assert head.organization_ids == {ids["tech"]}
    specialist = restrict(users[Role.SPECIALIST], "view")
    assert specialist.organization_ids == set() and specialist.own
    assert restrict(users[Role.ADMINISTRATOR], "manage").everything


@pytest.mark.django_db
def test_scope_filter_keeps_own_records_and_unit_records(users, tree):
    qs = Membership.objects.all()
    specialist = users[Role.SPECIALIST]
    own = restrict(specialist, "view").filter(qs, "organization", owner_fields=("user",))
    assert set(own.values_list("user_id", flat=True)) == {specialist.pk}
    head_rows = restrict(users[Role.UNIT_HEAD], "view").filter(qs, "organization")
    assert set(head_rows.values_list("organization_id", flat=True)) == {tree["tech"].pk}


@pytest.mark.django_db
def test_allows_matches_filter(users, tree):
    membership = users[Role.CLERK].memberships.get()
    assert restrict(users[Role.LEADER], "view").allows(membership)
    assert not restrict(users[Role.UNIT_HEAD], "view").allows(membership)
    assert restrict(users[Role.CLERK], "view").allows(membership, owner_fields=("user",))


@pytest.mark.django_db
def test_anonymous_reaches_nothing(tree):
    from django.contrib.auth.models import AnonymousUser

    assert restrict(AnonymousUser(), "view").is_empty


@pytest.mark.django_db
def test_moving_a_unit_moves_its_subtree(tree):
    office = tree["office"]
    office.parent = tree["other_agency"]
    office.save()
    assert tree["other_agency"].subtree().filter(pk=office.pk).exists()
    assert not tree["agency"].subtree().filter(pk=office.pk).exists()
