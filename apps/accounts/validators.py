from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """A password needs letters of both cases, a digit and a symbol."""

    def validate(self, password, user=None):
        checks = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if not all(checks):
            raise ValidationError(self.get_help_text(), code="password_character_classes")

    def get_help_text(self):
        return _("Your password must contain lowercase and uppercase letters, a digit and a symbol.")
