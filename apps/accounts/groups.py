from django.contrib.auth.models import Group, Permission

from apps.organizations.roles import ROLE_PERMISSIONS, Role


def ensure_role_groups(**kwargs) -> None:
    """One group per role with the permissions of ROLE_PERMISSIONS (idempotent)."""
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in ROLE_PERMISSIONS[role]:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)
