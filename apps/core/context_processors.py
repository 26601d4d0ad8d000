from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .modules import home_for


def platform(request):
    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "DEPARTMENT_NAME": settings.DEPARTMENT_NAME,
        "DEMO_MODE": settings.DEMO_MODE,
        # A citizen's own home ("Hồ sơ của tôi") for the navigation; looked up only when a page asks.
        "PERSONAL_HOME": SimpleLazyObject(lambda: _personal_home(request)),
    }


class _NoHome:
    def __bool__(self):
        return False


def _personal_home(request):
    user = getattr(request, "user", None)
    return (home_for(user) if user is not None else None) or _NoHome()
