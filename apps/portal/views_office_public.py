"""Public pages of the citizen questions: the published Q&A, one question, the ask form."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from apps.audit.middleware import client_ip
from apps.core import access
from apps.core.pagination import paginate

from . import questions_antispam as antispam
from . import services_questions as services
from .forms_office import AskForm
from .models import Question, QuestionStatus
from .selectors_questions import published_questions

PUBLIC_PAGE_SIZE = 10
_LAST_CODE = "portal_question_code"


@access.require(access.PUBLIC)
def question_list(request):
    q = request.GET.get("q", "").strip()
    page = paginate(request, published_questions(q), per_page=PUBLIC_PAGE_SIZE)
    return render(request, "portal/office/public_list.html", {"results": page, "q": q})


@access.require(access.PUBLIC)
def question_public(request, code):
    question = (
        Question.objects.select_related("topic").filter(code=code, status=QuestionStatus.PUBLISHED).first()
    )
    if question is None:
        raise Http404
    return render(request, "portal/office/public_question.html", {"question": question})


@access.require(access.PUBLIC)
def ask(request):
    if request.method == "POST":
        ip = client_ip(request)
        form = AskForm(request.POST, ip=ip)
        refusal = form.spam_error()
        if refusal:
            messages.error(request, refusal)
            form = AskForm(
                initial={k: v for k, v in request.POST.items() if k in form.fields and k != "website"}
            )
            form.initial["form_token"] = antispam.issue_token()
            return render(request, "portal/office/public_ask.html", {"form": form}, status=400)
        if form.is_valid():
            data = form.cleaned_data
            question = services.submit(
                asker_name=data["asker_name"],
                email=data["email"],
                phone=data["phone"],
                topic=data["topic"],
                title=data["title"],
                body=data["body"],
                ip_hash=antispam.ip_hash(ip),
            )
            request.session[_LAST_CODE] = question.code
            return redirect("portal:question_sent")
        return render(request, "portal/office/public_ask.html", {"form": form}, status=400)
    return render(request, "portal/office/public_ask.html", {"form": AskForm()})


@access.require(access.PUBLIC)
def question_sent(request):
    code = request.session.get(_LAST_CODE)
    if not code:
        return redirect("portal:question_ask")
    question = Question.objects.filter(code=code).first()
    return render(request, "portal/office/public_sent.html", {"question": question, "code": code})
