"""drf-spectacular hooks for the published OpenAPI schema."""

API_PREFIX = "/api/"


def only_platform_api(endpoints, **kwargs):
    """Keep the platform's own endpoints; drop DRF views that third-party apps mount elsewhere."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]
