"""Portal models, one module per concern: the Wagtail pages, royalties, citizen questions."""

from .pages import *  # noqa: F403
from .questions import *  # noqa: F403
from .royalties import *  # noqa: F403
