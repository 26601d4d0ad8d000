"""Portal models, one module per concern: the Wagtail pages, royalties, citizen questions."""
