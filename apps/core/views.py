from urllib.parse import urlencode, urlsplit

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt

from . import access
from .errors import ExplainedNotFound
from .modules import counters_for, home_for, modules_for, overview_for


@access.require(access.PUBLIC)
def home(request):
    """Public home page: the web portal's home page (Wagtail) once the portal's site exists.

    Until then (a fresh database before the portal is set up) a plain welcome page. The URL name
    `core:home` stays "/" either way; the staff workspace is `core:staff_home`.
    """
    from wagtail.models import Page, Site
    from wagtail.views import serve

    site = Site.find_for_request(request)
    if site is not None and site.root_page.specific_class not in (None, Page):
        return serve(request, "")
    return render(request, "core/home.html")


@access.require(access.SIGNED_IN)
def staff_home(request):
    personal = home_for(request.user)
    if personal is not None:  # a citizen or an enterprise: their own page, not the staff workspace
        return redirect(personal.url_name)
    modules = modules_for(request.user)
    if not request.user.is_staff_member and not request.user.is_superuser and not modules:
        return redirect("accounts:profile")
    counters = counters_for(request.user, modules)
    cards = [(m, counters.get(m.key, [])) for m in modules]
    overview = overview_for(request.user, modules)
    return render(request, "core/staff_home.html", {"modules": modules, "cards": cards, "overview": overview})


def _error_context(request, **extra) -> dict:
    """Where the user may go from an error page: back (same site only), home, sign in."""
    referer = request.META.get("HTTP_REFERER", "")
    back = ""
    if (
        referer
        and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure())
        and urlsplit(referer).path != request.path  # "back" to the page that failed helps nobody
    ):
        back = referer
    user = getattr(request, "user", None)
    signed_in = bool(getattr(user, "is_authenticated", False))
    login = f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}"
    return {"back_url": back, "signed_in": signed_in, "login_url": "" if signed_in else login, **extra}


def error_400(request, exception=None):
    return render(request, "errors/400.html", _error_context(request), status=400)


def error_403(request, exception=None):
    # The reason a view gave (`PermissionDenied(_("…"))`): our services word them for the user.
    reason = str(exception) if exception is not None and exception.args else ""
    return render(request, "errors/403.html", _error_context(request, reason=reason), status=403)


def csrf_failure(request, reason=""):
    """A form sent without its security token (a page left open past its session, cookies blocked):
    the Vietnamese 403 page says what to do instead of Django's English technical page."""
    reason = "Biểu mẫu đã hết hạn hoặc trình duyệt chặn cookie của trang. Vui lòng tải lại trang rồi gửi lại."
    return render(request, "errors/403.html", _error_context(request, reason=reason), status=403)


@csrf_exempt  # a POST to a wrong API path is answered 404 like a GET, not with the CSRF page
def api_not_found(request, rest=""):
    """An /api/ path no API route matches (a malformed id, code or action): API clients read JSON,
    as from the API's own 404s, not the portal's page that the catch-all route would serve."""
    return JsonResponse({"detail": gettext("Not found.")}, status=404)


def error_404(request, exception=None):
    extra = {}
    if isinstance(exception, ExplainedNotFound):  # only these carry words meant for the user
        extra = {"reason": exception.message, "reason_title": exception.title or ""}
    return render(request, "errors/404.html", _error_context(request, **extra), status=404)


# A last resort if even the self-contained template cannot be loaded.
_PLAIN_500 = (
    '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Lỗi hệ thống</title></head>'
    "<body><h1>Lỗi hệ thống (500)</h1><p>Hệ thống gặp sự cố. Vui lòng thử lại sau ít phút.</p>"
    '<p><a href="/">Về trang chủ</a></p></body></html>'
)


def error_500(request):
    """The server error page: a self-contained template rendered without a request.

    No context processors (they query the database, which may be what failed), no base layout,
    no URL reversing: like Django's own `server_error`, nothing here can fail in turn.
    """
    try:
        body = loader.get_template("errors/500.html").render()
    except Exception:  # noqa: BLE001 — the error page itself must never fail
        body = _PLAIN_500
    return HttpResponseServerError(body, content_type="text/html; charset=utf-8")
