"""Vietnamese ordering of names: ICU collation on PostgreSQL, plain order elsewhere."""

from django.db import connection
from django.db.models.functions import Collate

VIETNAMESE_COLLATION = "vi-x-icu"


def vietnamese(field: str):
    """An order_by() expression that puts Đ after D and Ă/Â after A, as Vietnamese readers expect."""
    if connection.vendor == "postgresql":
        return Collate(field, VIETNAMESE_COLLATION)
    return field
