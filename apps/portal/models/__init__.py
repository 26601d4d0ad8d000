"""Portal models, one module per concern: the Wagtail pages, royalties, citizen questions."""

from .editorial import *  # noqa: F403
from .pages import *  # noqa: F403
from .questions import *  # noqa: F403
from .royalties import *  # noqa: F403
