"""Admin screens of this capability (imported by apps/core/admin.py)."""
