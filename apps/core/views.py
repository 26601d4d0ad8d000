from django.shortcuts import redirect, render

from . import access
from .modules import modules_for


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
    modules = modules_for(request.user)
    if not request.user.is_staff_member and not request.user.is_superuser and not modules:
        return redirect("accounts:profile")
    return render(request, "core/staff_home.html", {"modules": modules})


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    return render(request, "errors/500.html", status=500)
