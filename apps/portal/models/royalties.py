"""Portal models: royalties."""

__all__: list[str] = []
