# The English interface keeps Vietnamese dates and numbers: the documents are Vietnamese.
from config.formats.vi.formats import *  # noqa: F403
