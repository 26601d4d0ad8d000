"""Staff views of the editorial office: the question queue, royalties, payment lists (thin views)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.access import require
from apps.core.converters import int_param
from apps.core.export import xlsx_response
from apps.core.formatting.vn import format_number
from apps.core.pagination import paginate
from apps.core.rendering.xlsx import XLSX_TYPE, render_xlsx

from . import royalties_access as access
from . import royalties_selectors, selectors_questions
from . import services_questions as qservices
from . import services_royalties as rservices
from .access import PORTAL_OFFICE, PORTAL_STAFF
from .forms_office import (
    AnswerForm,
    AssignForm,
    ContributorForm,
    NoteForm,
    PayForm,
    PaymentListForm,
    RoyaltyItemForm,
)
from .models import (
    BaseSalary,
    PaymentList,
    PaymentListStatus,
    Question,
    QuestionStatus,
    RoyaltyBudget,
    RoyaltyContributor,
    RoyaltyFrame,
    RoyaltyItem,
)
from .workflow import PAYMENT_LIST, QUESTION


def _errors(request, exc: ValidationError):
    for msgs in exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]:
        for m in msgs:
            messages.error(request, m)


def _year(request, default: int | None = None) -> int:
    # Bounded: the year becomes a datetime (at most 9999) and a time-zone conversion in the query.
    year = int_param(request.GET.get("year"))
    if year is None or not 1900 <= year <= 2100:
        return default or timezone.localdate().year
    return year


def _date(value: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return default


# ================================================================ questions

STATUS_FILTERS = {
    "open": Q(
        status__in=[
            QuestionStatus.RECEIVED,
            QuestionStatus.ASSIGNED,
            QuestionStatus.ANSWERED,
            QuestionStatus.APPROVED,
        ]
    ),
    **{s.value: Q(status=s) for s in QuestionStatus},
}


@require(PORTAL_STAFF)
def questions(request):
    qs = selectors_questions.questions_for(request.user)
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    qs = selectors_questions.search_staff(qs, q)
    if status in STATUS_FILTERS:
        qs = qs.filter(STATUS_FILTERS[status])
    if overdue:
        qs = qs.filter(selectors_questions.overdue_filter())
    now = timezone.now()
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "cau-hoi-cong-dan.xlsx",
            "Câu hỏi của công dân",
            [
                "Mã",
                "Người hỏi",
                "Chủ đề",
                "Tiêu đề",
                "Ngày gửi",
                "Hạn trả lời",
                "Đơn vị",
                "Trạng thái",
                "Quá hạn",
            ],
            [
                [
                    x.code,
                    x.asker_name,
                    x.topic.name,
                    x.title,
                    x.submitted_at,
                    x.due_at,
                    x.unit.name if x.unit_id else "",
                    x.get_status_display(),
                    "Quá hạn" if x.is_overdue(now) else "",
                ]
                for x in qs
            ],
        )
    page = paginate(request, qs)
    for x in page.object_list:
        x.overdue = x.is_overdue(now)
    return render(
        request,
        "portal/office/question_queue.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "overdue": overdue,
            "statuses": QuestionStatus.choices,
            "is_office": access.is_office_user(request.user),
            "active": "questions",
        },
    )


QUESTION_ACTIONS = {
    "assign": (AssignForm, lambda user, q, d: qservices.assign(user, q, d["unit"], d["note"])),
    "answer": (AnswerForm, lambda user, q, d: qservices.answer(user, q, d["answer"])),
    "return": (NoteForm, lambda user, q, d: qservices.return_answer(user, q, d["note"])),
    "approve": (NoteForm, lambda user, q, d: qservices.approve(user, q, d["note"])),
    "publish": (NoteForm, lambda user, q, d: qservices.publish(user, q, d["note"])),
    "unpublish": (NoteForm, lambda user, q, d: qservices.unpublish(user, q, d["note"])),
    "send_private": (NoteForm, lambda user, q, d: qservices.send_private(user, q, d["note"])),
    "reject": (NoteForm, lambda user, q, d: qservices.reject(user, q, d["note"])),
}

ACTION_DONE = {
    "assign": _("The question was assigned."),
    "answer": _("The answer was sent for approval."),
    "return": _("The answer was returned to the unit."),
    "approve": _("The answer was approved."),
    "publish": _("The question and its answer were published."),
    "unpublish": _("The question was withdrawn from the portal."),
    "send_private": _("The answer was sent by e-mail."),
    "reject": _("The question was not accepted."),
}


@require(PORTAL_STAFF)
def question_detail(request, pk):
    question = get_object_or_404(selectors_questions.questions_for(request.user), pk=pk)
    forms = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in QUESTION_ACTIONS:
            raise PermissionDenied
        form_class, apply = QUESTION_ACTIONS[action]
        form = form_class(request.POST, prefix=action)
        if form.is_valid():
            try:
                apply(request.user, question, form.cleaned_data)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, ACTION_DONE[action])
                if selectors_questions.questions_for(request.user).filter(pk=pk).exists():
                    return redirect("portal:office_question", pk=pk)
                return redirect("portal:office_questions")
        forms[action] = form
    actions = qservices.actions_for(request.user, question)
    for action in actions:
        if action not in forms:
            form_class = QUESTION_ACTIONS[action][0]
            initial = {"answer": question.answer} if action == "answer" else None
            if action == "assign" and question.unit_id:
                initial = {"unit": question.unit_id}
            forms[action] = form_class(initial=initial, prefix=action)
    return render(
        request,
        "portal/office/question_detail.html",
        {
            "question": question,
            "forms": [(a, QUESTION.transitions[a].label, f) for a, f in forms.items() if a in actions],
            "history": question.changes.select_related("actor"),
            "overdue": question.is_overdue(),
            "active": "questions",
        },
    )


@require(PORTAL_OFFICE)
def question_stats(request):
    year = _year(request)
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    qs = Question.objects.filter(submitted_at__gte=start, submitted_at__lt=end).select_related(
        "unit", "topic"
    )
    rows = list(qs)
    overall = selectors_questions.time_to_answer(rows)
    by_unit: dict[str, list] = {}
    for x in rows:
        by_unit.setdefault(x.unit.name if x.unit_id else _("Not assigned"), []).append(x)
    now = timezone.now()
    units = [
        {
            "name": name,
            "received": len(items),
            "open_overdue": sum(1 for x in items if x.is_open and x.is_overdue(now)),
            **selectors_questions.time_to_answer(items),
        }
        for name, items in sorted(by_unit.items())
    ]
    by_status = {label: sum(1 for x in rows if x.status == value) for value, label in QuestionStatus.choices}
    return render(
        request,
        "portal/office/question_stats.html",
        {
            "year": year,
            "received": len(rows),
            "overall": overall,
            "units": units,
            "by_status": by_status,
            "workdays": qservices.answer_workdays(),
            "active": "stats",
        },
    )


# ================================================================ royalties


@require(PORTAL_OFFICE)
def royalties(request):
    year = _year(request)
    q = request.GET.get("q", "").strip()
    listed = request.GET.get("listed", "")
    qs = royalties_selectors.items(q).filter(published_on__year=year)
    if listed == "no":
        qs = qs.filter(payment_list__isnull=True)
    elif listed == "yes":
        qs = qs.filter(payment_list__isnull=False)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            f"nhuan-but-{year}.xlsx",
            f"Nhuận bút {year}",
            [
                "Tác phẩm",
                "Ngày đăng",
                "Thể loại",
                "Hệ số",
                "Lương cơ sở",
                "Nhuận bút (đồng)",
                "Tác giả",
                "Bảng thanh toán",
            ],
            [
                [
                    i.title,
                    i.published_on,
                    i.genre.name,
                    i.coefficient,
                    i.base_salary,
                    i.amount,
                    "; ".join(
                        f"{s.contributor.full_name} ({format_number(s.percent, 0)}%)" for s in i.shares.all()
                    ),
                    i.payment_list.code if i.payment_list_id else "",
                ]
                for i in qs
            ],
        )
    return render(
        request,
        "portal/office/royalty_list.html",
        {
            "page": paginate(request, qs),
            "q": q,
            "year": year,
            "listed": listed,
            "spending": rservices.spending(year),
            "active": "royalties",
        },
    )


@require(PORTAL_OFFICE)
def royalty_edit(request, pk=None):
    item = get_object_or_404(RoyaltyItem, pk=pk) if pk else RoyaltyItem()
    locked = bool(item.payment_list_id and item.payment_list.status != PaymentListStatus.DRAFT)
    form = RoyaltyItemForm(request.POST or None, instance=item)
    if request.method == "POST" and not locked and form.is_valid():
        try:
            item = form.save(commit=False)
            item.title = form.cleaned_data["title"]
            item.published_on = form.cleaned_data["published_on"]
            rservices.save_item(request.user, item, form.authors)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _("Royalty saved: %(amount)s VND.") % {"amount": format_number(item.amount)},
            )
            return redirect("portal:office_royalties")
    frames = RoyaltyFrame.objects.prefetch_related("genres")
    return render(
        request,
        "portal/office/royalty_form.html",
        {"form": form, "item": item, "locked": locked, "frames": frames, "active": "royalties"},
    )


@require(PORTAL_OFFICE)
def royalty_people(request):
    today = timezone.localdate()
    start = _date(request.GET.get("start"), dt.date(today.year, 1, 1))
    end = _date(request.GET.get("end"), dt.date(today.year, 12, 31))
    q = request.GET.get("q", "").strip()
    rows = royalties_selectors.amounts_by_person(start, end)
    if q:
        rows = royalties_selectors.filter_plain(rows, q, lambda r: r["name"])
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            f"nhuan-but-theo-nguoi-{start:%Y%m%d}-{end:%Y%m%d}.xlsx",
            "Nhuận bút theo người",
            ["Họ và tên", "Cán bộ", "Số tác phẩm", "Nhuận bút (đồng)"],
            [[r["name"], "x" if r["is_staff"] else "", r["items"], r["amount"]] for r in rows],
        )
    return render(
        request,
        "portal/office/royalty_people.html",
        {
            "page": paginate(request, rows),
            "start": start,
            "end": end,
            "q": q,
            "total": sum(r["amount"] for r in rows),
            "active": "people",
        },
    )


@require(PORTAL_OFFICE)
def contributors(request):
    q = request.GET.get("q", "").strip()
    rows = list(RoyaltyContributor.objects.select_related("user").order_by("full_name"))
    if q:
        rows = royalties_selectors.filter_plain(rows, q, lambda c: f"{c.full_name} {c.email} {c.id_number}")
    return render(
        request,
        "portal/office/contributor_list.html",
        {"page": paginate(request, rows), "q": q, "active": "contributors"},
    )


@require(PORTAL_OFFICE)
def contributor_edit(request, pk=None):
    contributor = get_object_or_404(RoyaltyContributor, pk=pk) if pk else RoyaltyContributor()
    form = ContributorForm(request.POST or None, instance=contributor)
    if request.method == "POST" and form.is_valid():
        rservices.save_contributor(request.user, form.save(commit=False))
        messages.success(request, _("Contributor saved."))
        return redirect("portal:office_contributors")
    return render(
        request,
        "portal/office/contributor_form.html",
        {"form": form, "contributor": contributor, "active": "contributors"},
    )


@require(PORTAL_OFFICE)
def frames(request):
    return render(
        request,
        "portal/office/frames.html",
        {
            "frames": RoyaltyFrame.objects.prefetch_related("genres"),
            "salaries": BaseSalary.objects.all(),
            "budgets": RoyaltyBudget.objects.all(),
            "active": "frames",
        },
    )


# ================================================================ payment lists


@require(PORTAL_OFFICE)
def payment_lists(request):
    q = request.GET.get("q", "").strip()
    year = _year(request)
    qs = PaymentList.objects.filter(period_end__year=year)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(title__icontains=q))
    rows = list(qs.annotate(items_total=Sum("items__amount")))  # PaymentList.total() of each, in one query
    for plist in rows:
        plist.total_amount = int(plist.items_total or 0)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            f"bang-thanh-toan-nhuan-but-{year}.xlsx",
            "Bảng thanh toán nhuận bút",
            ["Số", "Tiêu đề", "Từ ngày", "Đến ngày", "Trạng thái", "Tổng (đồng)", "Ngày chi"],
            [
                [
                    p.code,
                    p.title,
                    p.period_start,
                    p.period_end,
                    p.get_status_display(),
                    p.total_amount,
                    p.paid_on,
                ]
                for p in rows
            ],
        )
    return render(
        request,
        "portal/office/payment_list_list.html",
        {
            "page": paginate(request, rows),
            "q": q,
            "year": year,
            "spending": rservices.spending(year),
            "active": "payments",
        },
    )


@require(PORTAL_OFFICE)
def payment_list_create(request):
    form = PaymentListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plist, warning = rservices.create_payment_list(
                request.user,
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                note=data["note"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Payment list %(code)s created.") % {"code": plist.code})
            if warning:
                messages.warning(request, warning)
            return redirect("portal:office_payment_list", pk=plist.pk)
    return render(request, "portal/office/payment_list_form.html", {"form": form, "active": "payments"})


@require(PORTAL_OFFICE)
def payment_list_detail(request, pk):
    plist = get_object_or_404(PaymentList, pk=pk)
    check = rservices.budget_check(plist)
    actions = {t.action for t in PAYMENT_LIST.allowed(plist, request.user)}
    return render(
        request,
        "portal/office/payment_list_detail.html",
        {
            "plist": plist,
            "items": plist.items.select_related("genre").prefetch_related("shares__contributor"),
            "people": royalties_selectors.amounts_by_person(
                plist.period_start, plist.period_end, payment_list=plist
            ),
            "total": plist.total(),
            "check": check,
            "can_approve": "approve" in actions,
            "can_reopen": "reopen" in actions,
            "can_pay": "pay" in actions,
            "is_draft": plist.status == PaymentListStatus.DRAFT,
            "pay_form": PayForm(initial={"paid_on": timezone.localdate()}),
            "history": plist.changes.select_related("actor"),
            "active": "payments",
        },
    )


@require(PORTAL_OFFICE)
@require_POST
def payment_list_transition(request, pk, action):
    plist = get_object_or_404(PaymentList, pk=pk)
    paid_on = None
    note = request.POST.get("note", "")
    if action == "pay":
        form = PayForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the payment date."))
            return redirect("portal:office_payment_list", pk=pk)
        paid_on = form.cleaned_data["paid_on"]
        note = form.cleaned_data["note"]
    try:
        _plist, warning = rservices.transition(request.user, plist, action, note=note, paid_on=paid_on)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request, _("The payment list is now: %(status)s.") % {"status": _plist.get_status_display()}
        )
        if warning:
            messages.warning(request, warning)
    return redirect("portal:office_payment_list", pk=pk)


@require(PORTAL_OFFICE)
@require_POST
def payment_list_remove_item(request, pk, item_pk):
    plist = get_object_or_404(PaymentList, pk=pk)
    item = get_object_or_404(RoyaltyItem, pk=item_pk)
    try:
        rservices.remove_item(request.user, plist, item)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The item was taken off the list."))
    return redirect("portal:office_payment_list", pk=pk)


@require(PORTAL_OFFICE)
def payment_list_xlsx(request, pk):
    """The accounting report: one row per person with payment details, then the total."""
    plist = get_object_or_404(PaymentList, pk=pk)
    people = royalties_selectors.amounts_by_person(plist.period_start, plist.period_end, payment_list=plist)
    rows = [
        [
            n,
            p["name"],
            p["id_number"],
            p["tax_code"],
            p["bank_account"],
            p["bank_name"],
            p["items"],
            p["amount"],
            "",
        ]
        for n, p in enumerate(people, start=1)
    ]
    rows.append(
        [
            "",
            "Tổng cộng",
            "",
            "",
            "",
            "",
            sum(p["items"] for p in people),
            sum(p["amount"] for p in people),
            "",
        ]
    )
    title = f"{plist.code} {plist.period_start:%d-%m-%Y} đến {plist.period_end:%d-%m-%Y}"
    content = render_xlsx(
        title,
        [
            "STT",
            "Họ và tên",
            "Số CCCD",
            "Mã số thuế",
            "Số tài khoản",
            "Ngân hàng",
            "Số tác phẩm",
            "Số tiền (đồng)",
            "Ký nhận",
        ],
        rows,
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="bang-thanh-toan-{plist.code}.xlsx"'
    return response
