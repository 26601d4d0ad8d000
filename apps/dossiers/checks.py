"""System checks of the dossiers app: payment notices must not be forgeable in production."""

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext as _

from .sandbox_gateway import DEFAULT_SECRET

# Values published in this repository (today's and the earlier shipped default): anyone can sign with them.
PUBLIC_SECRETS = frozenset({DEFAULT_SECRET, "demo-sandbox-secret-change-me"})
MIN_SECRET_LENGTH = 32


def payment_gateway_secret(app_configs=None, **kwargs):
    """Where the sandbox is switched off (production settings), the secret that authenticates the
    gateway's payment notices must be set, not a published demo value, and long enough."""
    if getattr(settings, "PAYMENT_SANDBOX_ENABLED", False):
        return []  # development and the demo: the public sandbox secret is expected there
    secret = getattr(settings, "PAYMENT_SANDBOX_SECRET", "") or ""
    demo = getattr(settings, "PAYMENT_SANDBOX_DEMO_SECRET", "")
    if secret and secret not in PUBLIC_SECRETS and secret != demo and len(secret) >= MIN_SECRET_LENGTH:
        return []
    return [
        checks.Error(
            _(
                "PAYMENT_SANDBOX_SECRET is empty, a public demo value or shorter than %(n)d characters: "
                "anyone could forge a payment notice and mark a fee paid."
            )
            % {"n": MIN_SECRET_LENGTH},
            hint=_(
                "Set the PAYMENT_SANDBOX_SECRET environment variable to a long random value shared only "
                "with the payment gateway, e.g. the output of: openssl rand -hex 32"
            ),
            id="dossiers.E001",
        )
    ]
