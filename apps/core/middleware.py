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


class FriendlyErrorsMiddleware:
    """The users' error pages (config.urls handler400/404/500) also while DEBUG is on.

    The demo runs with DEBUG on, where Django answers a 404, a bad request and a crash with its
    English technical pages (a 403 already goes to handler403). With CQS_FRIENDLY_ERRORS (on by
    default; `CQS_FRIENDLY_ERRORS=0` gives developers the technical pages back) this middleware
    hands those to the project's handlers instead. Last in MIDDLEWARE, so that it sees a view's
    exception first and the request it renders for carries the user, session and language. Without
    DEBUG it does nothing: Django calls the same handlers itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _active() -> bool:
        return settings.DEBUG and getattr(settings, "CQS_FRIENDLY_ERRORS", False)

    def __call__(self, request):
        response = self.get_response(request)
        # No view was found for the path: Django has answered with its technical 404 page.
        if response.status_code == 404 and request.resolver_match is None and self._active():
            from django.core.handlers.exception import get_exception_response
            from django.urls import get_resolver, get_urlconf

            response = get_exception_response(request, get_resolver(get_urlconf()), 404, None)
        return response

    def process_exception(self, request, exception):
        """As Django's `response_for_exception` without DEBUG (the same handlers, logs, signal)."""
        if not self._active():
            return None
        import logging

        from django.core import signals
        from django.core.exceptions import (
            BadRequest,
            PermissionDenied,
            RequestDataTooBig,
            SuspiciousOperation,
            TooManyFieldsSent,
            TooManyFilesSent,
        )
        from django.core.handlers.exception import get_exception_response
        from django.http import Http404
        from django.http.multipartparser import MultiPartParserError
        from django.urls import get_resolver, get_urlconf
        from django.utils.log import log_response

        if isinstance(exception, PermissionDenied):
            return None  # Django renders handler403 in every mode
        resolver = get_resolver(get_urlconf())
        if isinstance(exception, Http404):
            return get_exception_response(request, resolver, 404, exception)
        if isinstance(exception, SuspiciousOperation):
            if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
                request._mark_post_parse_error()  # the body cannot be read again
            response = get_exception_response(request, resolver, 400, exception)
            log_response(
                str(exception),
                exception=exception,
                request=request,
                response=response,
                level="error",
                logger=logging.getLogger(f"django.security.{exception.__class__.__name__}"),
            )
            return response
        if isinstance(exception, BadRequest | MultiPartParserError):
            response = get_exception_response(request, resolver, 400, exception)
        else:
            # A crash: the signal (error reporters, the test client), the users' page, and the
            # traceback in the log (on the console while DEBUG is on).
            signals.got_request_exception.send(sender=None, request=request)
            response = resolver.resolve_error_handler(500)(request)
        log_response(
            "%s: %s",
            response.reason_phrase,
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response
