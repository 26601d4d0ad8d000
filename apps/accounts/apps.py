from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from auditlog.registry import auditlog
        from django.db.models.signals import post_migrate

        from .groups import ensure_role_groups

        # Runs after the last foundation app has migrated, when every permission exists.
        post_migrate.connect(ensure_role_groups, sender=self.apps.get_app_config("audit"))

        from apps.core.modules import Module, register

        from .models import ApiClient, User
        from .reports import register_reports
        from .selectors import can_view_accounts

        register_reports()

        from apps.core.demo import register_seeder

        from .demo import seed_foundation

        register_seeder("foundation", seed_foundation, order=0)

        from apps.audit.labels import register_labels

        register_labels(
            {
                "account_created": _("Account created"),
                "account_suspended": _("Account suspended"),
                "account_active": _("Account reactivated"),
                "account_deactivated": _("Account deactivated"),
                "role_assigned": _("Role assigned"),
                "role_revoked": _("Role revoked"),
                "signed_in": _("Signed in"),
                "sign_in_refused": _("Sign-in refused"),
                "two_factor_passed": _("Two-factor check passed"),
                "two_factor_failed": _("Two-factor check failed"),
                "two_factor_enrolled": _("Two-factor authentication set up"),
                "two_factor_reset": _("Two-factor authentication reset"),
                "recovery_codes_regenerated": _("New recovery codes"),
                "password_changed": _("Password changed"),
                "api_client_created": _("API token issued"),
                "api_client_revoked": _("API token revoked"),
                "personal_data_exported": _("Downloaded their personal data"),
            }
        )

        from apps.core.personal_data import register_part

        from .access import is_personal_data_officer
        from .personal_data import PART

        register_part(PART)
        register(
            Module(
                "personal_data_access",
                _("Access to personal data"),
                _("Who viewed citizens' personal data, downloads of their own data, retention purges."),
                "accounts:personal_data_access",
                "shield-lock",
                is_personal_data_officer,
            )
        )

        register(
            Module(
                "accounts",
                _("Accounts"),
                _("Create, suspend and deactivate accounts; assign roles per unit."),
                "accounts:account_list",
                "users",
                can_view_accounts,
            )
        )
        register(
            Module(
                "api_clients",
                _("Integration clients"),
                _("Issue and revoke API tokens bound to a unit."),
                "accounts:apiclient_list",
                "api",
                lambda u: u.has_perm("accounts.manage_apiclients"),
            )
        )

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(ApiClient, exclude_fields=["token_hash", "last_used_at"])
