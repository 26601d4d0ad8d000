import pytest
from django.urls import reverse

from apps.accounts.models import ApiClient
from apps.organizations.roles import Role
from conftest import verified_client


def issue(org, scopes):
    raw, prefix, digest = ApiClient.new_token()
    ApiClient.objects.create(
        name="Cổng DVC tỉnh", organization=org, scopes=scopes, token_prefix=prefix, token_hash=digest
    )
    return raw


def names(nodes):
    out = []
    for node in nodes:
        out.append(node["name"])
        out.extend(names(node["children"]))
    return out


@pytest.mark.django_db
def test_token_sees_only_its_organisation_subtree(client, tree):
    token = issue(tree["agency"], ["organizations:read"])
    response = client.get(reverse("api:organization_tree"), HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert names(response.json()) == ["Sở KH&CN", "Văn phòng Sở", "Phòng Quản lý Công nghệ"]


@pytest.mark.django_db
def test_token_without_scope_is_refused(client, tree):
    token = issue(tree["agency"], ["accounts:read"])
    response = client.get(reverse("api:organization_tree"), HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 403
    me = client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {token}").json()
    assert me["kind"] == "client" and me["organization_id"] == tree["agency"].pk


@pytest.mark.django_db
def test_revoked_or_wrong_token_is_refused(client, tree):
    token = issue(tree["agency"], ["organizations:read"])
    ApiClient.objects.update(is_active=False)
    assert (
        client.get(reverse("api:organization_tree"), HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    )
    assert client.get(reverse("api:organization_tree"), HTTP_AUTHORIZATION="Token sai").status_code == 401


@pytest.mark.django_db
def test_only_the_token_hash_is_stored(tree):
    token = issue(tree["agency"], [])
    assert not ApiClient.objects.filter(token_hash=token).exists()
    assert ApiClient.find_by_token(token) is not None


@pytest.mark.django_db
def test_people_see_the_tree_of_their_scope(client, users):
    verified_client(client, users[Role.LEADER])
    leader_view = names(client.get(reverse("api:organization_tree")).json())
    assert "Sở Y tế" not in leader_view and "Văn phòng Sở" in leader_view
    verified_client(client, users[Role.ADMINISTRATOR])
    assert "Sở Y tế" in names(client.get(reverse("api:organization_tree")).json())


@pytest.mark.django_db
def test_me_describes_the_signed_in_person(client, users):
    verified_client(client, users[Role.CLERK])
    me = client.get(reverse("api:me")).json()
    assert me["kind"] == "user" and me["memberships"][0]["role"] == "clerk"
    assert me["two_factor_verified"] is True


@pytest.mark.django_db
def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200 and b"/api/v1/organizations/tree/" in schema.content
    docs = client.get(reverse("api-docs")).content.decode()
    assert "cdn" not in docs.lower() and "jsdelivr" not in docs.lower()


@pytest.mark.django_db
def test_api_client_screen_shows_the_token_once(client, users, tree):
    verified_client(client, users[Role.ADMINISTRATOR])
    response = client.post(
        reverse("accounts:apiclient_list"),
        {"name": "Hệ thống báo cáo", "organization": tree["agency"].pk, "scopes": ["organizations:read"]},
    )
    token = response.context["new_token"]
    assert token and ApiClient.find_by_token(token).name == "Hệ thống báo cáo"
    assert token not in client.get(reverse("accounts:apiclient_list")).content.decode()
