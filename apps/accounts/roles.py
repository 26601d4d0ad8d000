"""Roles belong to organisations (a role is held per unit through a membership): see
`apps.organizations.roles`. Kept as an alias while code moves over."""

from apps.organizations.roles import ADMIN_SITE_ROLES, ROLE_PERMISSIONS, STAFF_ROLES, TWO_FACTOR_ROLES, Role

__all__ = ["ADMIN_SITE_ROLES", "ROLE_PERMISSIONS", "STAFF_ROLES", "TWO_FACTOR_ROLES", "Role"]
