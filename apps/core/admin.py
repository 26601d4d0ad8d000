# Each core capability registers its own admin screens.
from .calendar import admin as calendar_admin  # noqa: F401
from .counters import admin as counters_admin  # noqa: F401
from .files import admin as files_admin  # noqa: F401
from .notifications import admin as notifications_admin  # noqa: F401
from .rendering import admin as rendering_admin  # noqa: F401
