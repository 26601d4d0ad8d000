"""Token authentication for integration clients (`Authorization: Token <key>`)."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiClient


class ClientUser(AnonymousUser):
    """The request.user of a token request: no person, but an organisation and scopes."""

    def __init__(self, client: ApiClient):
        super().__init__()
        self.client = client

    @property
    def is_authenticated(self):
        return True

    def __str__(self):
        return f"API: {self.client.name}"


class ApiClientTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed token header."))
        client = ApiClient.find_by_token(header[1].decode(errors="ignore"))
        if client is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        client.touch()
        return ClientUser(client), client

    def authenticate_header(self, request):
        return self.keyword


class ApiClientTokenScheme(OpenApiAuthenticationExtension):
    target_class = "apps.accounts.api_auth.ApiClientTokenAuthentication"
    name = "ApiClientToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization"}


