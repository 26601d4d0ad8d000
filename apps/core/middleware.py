from django.conf import settings
from django.utils import translation

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class LanguageMiddleware:
    """Vietnamese unless the user picked another language with the switcher.

    Unlike Django's LocaleMiddleware it ignores the browser's Accept-Language: a civil servant's
    English-language browser must not turn the department's platform into English.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in SUPPORTED else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RequestSizeLimitMiddleware:
    """413 for a request whose declared body exceeds CQS_MAX_REQUEST_BYTES, without reading it.

    First in MIDDLEWARE: Django's multipart parser spools every upload to disk before any form sees
    it, and the CSRF check reads the body too, so a 200 MB POST would be taken in full by anyone.
    Without a Content-Length Django reads no body at all; the proxy caps it as well
    (client_max_body_size in docs/deploy/nginx.conf).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.CQS_MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit and length > limit:
            from django.http import HttpResponse

            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            with translation.override(chosen if chosen in SUPPORTED else settings.LANGUAGE_CODE):
                text = translation.gettext(
                    "The data sent is too large (the limit is %(size)s MB per submission). "
                    "Send smaller or fewer files at a time."
                ) % {"size": limit // (1024 * 1024)}
            return HttpResponse(text, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on every answer to a signed-in user or an API token.

    Such pages and JSON carry personal data: neither a shared proxy nor the browser's disk cache
    (a shared office computer, the back button after signing out) may keep them. A view that set
    its own Cache-Control keeps it, and anonymous visitors' pages (the public portal) stay
    cacheable: without a session cookie the session is not even read, so no `Vary: Cookie` either.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response.headers and self._personal(request):
            response.headers["Cache-Control"] = "private, no-store"
        return response

    @staticmethod
    def _personal(request) -> bool:
        if "HTTP_AUTHORIZATION" in request.META:  # API clients: DRF authenticates them inside the view
            return True
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)
