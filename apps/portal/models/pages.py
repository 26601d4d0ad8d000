"""Portal models: pages."""

__all__: list[str] = []
