"""Registrations (audit labels, demo seeders, staff-home cards) made when the app is ready."""


def ready():
    pass
