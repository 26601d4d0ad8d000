"""Portal models: questions."""

__all__: list[str] = []
