"""The platform's roles (DESIGN.md). A role is held per unit through a membership."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen / enterprise")
    ONE_STOP_OFFICER = "one_stop_officer", _("One-stop officer")
    SPECIALIST = "specialist", _("Specialist")
    UNIT_HEAD = "unit_head", _("Unit head")
    LEADER = "leader", _("Department leader")
    CLERK = "clerk", _("Clerk")
    IT_OFFICER = "it_officer", _("IT officer")
    EDITOR = "editor", _("Editor")
    ADMINISTRATOR = "administrator", _("Administrator")


STAFF_ROLES = [r for r in Role if r != Role.CITIZEN]

# Roles that approve, sign or administer must use two-factor authentication.
TWO_FACTOR_ROLES = {Role.UNIT_HEAD, Role.LEADER, Role.CLERK, Role.IT_OFFICER, Role.ADMINISTRATOR}

# Django permissions each role's group carries (app_label.codename).
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CITIZEN: [],
    Role.ONE_STOP_OFFICER: ["organizations.view_organization"],
    Role.SPECIALIST: ["organizations.view_organization"],
    Role.UNIT_HEAD: ["organizations.view_organization", "accounts.view_user"],
    Role.LEADER: ["organizations.view_organization", "accounts.view_user", "audit.view_auditevent"],
    Role.CLERK: ["organizations.view_organization"],
    Role.IT_OFFICER: ["organizations.view_organization", "accounts.view_user", "audit.view_auditevent"],
    Role.EDITOR: [],
    Role.ADMINISTRATOR: [
        "organizations.view_organization",
        "organizations.add_organization",
        "organizations.change_organization",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.manage_accounts",
        "accounts.view_apiclient",
        "accounts.manage_apiclients",
        "audit.view_auditevent",
        # Configuration screens of the core capabilities (Django admin).
        "core.view_calendaroverride",
        "core.add_calendaroverride",
        "core.change_calendaroverride",
        "core.delete_calendaroverride",
        "core.view_calendarsettings",
        "core.change_calendarsettings",
        "core.view_counterdefinition",
        "core.add_counterdefinition",
        "core.change_counterdefinition",
        "core.view_counter",
        "core.view_notificationtemplate",
        "core.add_notificationtemplate",
        "core.change_notificationtemplate",
        "core.view_outboxmessage",
        "core.change_outboxmessage",
        "core.view_storedfile",
        "core.view_renderjob",
        "documents.view_documenttype",
        "documents.add_documenttype",
        "documents.change_documenttype",
        "documents.view_issuercode",
        "documents.add_issuercode",
        "documents.change_issuercode",
        "documents.view_register",
        "documents.add_register",
        "documents.change_register",
        "documents.view_signingkey",
        "documents.add_signingkey",
        "documents.change_signingkey",
        # Portal rules kept as data: royalty frame and genres, base salary, budget line, question topics.
        "portal.view_royaltyframe",
        "portal.add_royaltyframe",
        "portal.change_royaltyframe",
        "portal.view_royaltygenre",
        "portal.add_royaltygenre",
        "portal.change_royaltygenre",
        "portal.view_basesalary",
        "portal.add_basesalary",
        "portal.change_basesalary",
        "portal.view_royaltybudget",
        "portal.add_royaltybudget",
        "portal.change_royaltybudget",
        "portal.view_questiontopic",
        "portal.add_questiontopic",
        "portal.change_questiontopic",
        # One-stop desk settings: the agency identifier that starts the dossier codes.
        "dossiers.view_desksettings",
        "dossiers.add_desksettings",
        "dossiers.change_desksettings",
    ],
}

# Roles that may open the configuration screens (Django admin, limited by the permissions above).
ADMIN_SITE_ROLES = {Role.ADMINISTRATOR}
