"""drf-spectacular hooks for the published OpenAPI schema."""


def only_platform_api(endpoints, **kwargs):
    """Keep the platform's own endpoints; drop the DRF views Wagtail mounts for its admin's scripts."""
    kept = []
    for endpoint in endpoints:
        callback = endpoint[3]
        view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        module = getattr(view_class, "__module__", "") or getattr(callback, "__module__", "")
        if not module.startswith("wagtail"):
            kept.append(endpoint)
    return kept
