"""The plan as a document: one content structure, rendered to the page, to PDF and to DOCX.

Layout per Decree 30/2020 (legal-rules B3) through core.rendering: the header, Parts I and II, the
closing (recipients, signer), then the appendix on a landscape page with columns numbered 1–9.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

from apps.core.formatting.vn import (
    amount_in_words,
    format_date,
    format_money,
    format_number,
    format_percent,
    long_date,
    place_date_line,
)
from apps.core.rendering.docx import TEMPLATE_DIR, _declare_font
from apps.core.rendering.pdf import render_pdf

from . import figures as F
from .models import PART1_SECTIONS, SECTIONS, SOLUTION_SECTIONS, TASK_SECTIONS, BasisPart

APPENDIX_HEADERS = [
    "STT",
    "TÊN NHIỆM VỤ, DỰ ÁN VÀ NỘI DUNG CÔNG VIỆC",
    "ĐƠN VỊ CHỦ TRÌ",
    "MỤC TIÊU",
    "THỜI GIAN TRIỂN KHAI",
    "TỔNG MỨC ĐẦU TƯ",
    "NSNN SN",
    "NSNN ĐẦU TƯ",
    "GHI CHÚ",
]


@dataclass
class Block:
    heading: str = ""
    level: int = 2  # 1: "Phần I" titles, 2: roman sections, 3: 4.x / 5.x
    paragraphs: list[str] = field(default_factory=list)


# --- formatting of figures -------------------------------------------------------------------


def count(value) -> str:
    """Counts as the plan writes them: below ten with a leading zero ("05 máy")."""
    n = F.number(value)
    if n is None:
        return "…"
    return f"{n:02d}" if isinstance(n, int) and 0 <= n < 10 else format_number(n)


def percent(value) -> str:
    n = F.number(value)
    if n is None:
        return "…"
    return "100%" if Decimal(n) == 100 else format_percent(Decimal(n))


def million(value_in_dong: int) -> str:
    """The appendix counts in millions: 135_000_000 → "135"; 117_500_000 → "117,5"."""
    d = Decimal(value_in_dong or 0) / Decimal(1_000_000)
    if d == d.to_integral_value():
        return format_number(int(d))
    return format_number(d, max(0, -d.normalize().as_tuple().exponent))


def format_value(key: str, value) -> str:
    if "share" in key:
        return percent(value)
    if "royalties" in key:
        return format_money(F.number(value) or 0)
    return count(value)


_PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)\}")


def fill(text: str, values: dict) -> str:
    """Replaces {indicator.key} in the planner's narrative with the figure; unknown keys stay."""
    return _PLACEHOLDER.sub(lambda m: format_value(m[1], values[m[1]]) if m[1] in values else m[0], text)


# --- content ---------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _bullets(lines: list[str]) -> list[str]:
    if len(lines) == 1:
        return lines
    return [line if line[:1] in "-+" else f"- {line}" for line in lines]


def _ratio(part, whole) -> str:
    p, w = F.number(part), F.number(whole)
    if p is None or not w:
        return "…"
    return percent((Decimal(p) * 100 / Decimal(w)).quantize(Decimal("0.01")))


def _part1_figures(plan, snap: dict) -> dict[str, list[str]]:
    v = snap["values"]
    year = snap["year"]
    agency = plan.organization.short_name or plan.organization.name
    comp, staff = v.get("itsec.computers.for_work"), v.get("itsec.staff")
    per_person = (
        "đảm bảo 01 người/01 máy (đạt 100%)"
        if F.number(comp) is not None and F.number(staff) is not None and F.number(comp) >= F.number(staff)
        else f"đạt {_ratio(comp, staff)} ({count(comp)}/{count(staff)} người)"
    )
    end = format_date(dt.date.fromisoformat(snap["end"]))
    infrastructure = [
        f"Cơ sở hạ tầng kỹ thuật tính đến thời điểm năm {year}: Số máy tính được trang bị, sử dụng phục vụ "
        f"nhiệm vụ chuyên môn: {count(comp)} máy; tỉ lệ công chức, viên chức và người lao động (CCVCNLĐ) "
        f"được trang bị máy tính phục vụ công việc {per_person}; số máy chủ: "
        f"{count(v.get('itsec.servers'))} máy. "
        f"{count(v.get('itsec.computers.with_broadband'))}/{count(comp)} máy vi tính đã được kết nối với "
        f"đường truyền internet tốc độ cao, {count(v.get('itsec.computers.with_antivirus'))}/{count(comp)} "
        "máy được cài đặt phần mềm phòng chống mã độc. Ngoài ra, có "
        f"{count(v.get('itsec.computers.for_training'))} máy tính phục vụ cho công tác đào tạo, bồi dưỡng "
        "CNTT.",
        "Tỷ lệ máy vi tính hết niên hạn, quá hạn khấu hao: "
        f"{percent(v.get('itsec.computers.past_depreciation_share'))} số máy tính tại đơn vị.",
    ]
    levels = "; ".join(
        f"TTHC ở mức độ {n} là: {count(v.get(f'procedures.by_level.level_{n}'))} TTHC "
        f"({percent(v.get(f'procedures.share_by_level.level_{n}'))})"
        for n in F.LEVELS
    )
    handled = v.get("dossiers.handled_in_system.share")
    applications = [
        f"- Hệ thống Quản lý văn bản và điều hành iDesk: tính đến ngày {end}, đã có "
        f"{count(v.get('accounts.idesk_accounts.created'))} tài khoản iDesk thuộc phạm vi quản lý của "
        f"{agency} "
        f"được tạo, {count(v.get('accounts.idesk_accounts.stopped'))} tài khoản đã được dừng sử dụng do "
        "CBCCVC "
        f"chuyển công tác hoặc nghỉ hưu, {count(v.get('accounts.idesk_accounts.active'))} tài khoản được sử "
        "dụng thường xuyên để trao đổi công việc. Tỷ lệ văn bản đi được ký số và phát hành trực tuyến trên "
        f"môi trường mạng: {percent(v.get('documents.signed_issued_online.share'))}.",
        f"- Hệ thống dịch vụ hành chính công iGate: {agency} đã đăng tải {count(v.get('procedures.total'))} "
        f"thủ tục hành chính (TTHC) thuộc thẩm quyền trên hệ thống iGate, trong đó: {levels}. Kết quả giải "
        "quyết hồ sơ TTHC trong năm, như sau:",
        (f"+ {percent(handled)} hồ sơ" if handled is not None else "+ Hồ sơ")
        + " thực hiện việc tiếp nhận, giải quyết và trả hồ sơ hành chính qua hệ thống Một cửa điện tử liên "
        f"thông: {count(v.get('dossiers.received.total'))} hồ sơ (đến {end}).",
        *[
            f"+ Hồ sơ TTHC được xử lý trực tuyến mức độ {n}: "
            f"{count(v.get(f'dossiers.received.online_level_{n}'))} "
            f"hồ sơ ({percent(v.get(f'dossiers.received.online_level_{n}.share'))});"
            for n in F.LEVELS
        ],
    ]
    b = snap["budget"]
    budget = [
        f"- Ngân sách đầu tư cho thiết bị: {format_money(b['equipment'])}",
        f"- Ngân sách cho phần mềm: {format_money(b['software'])}",
        "- Ngân sách duy trì hoạt động đường truyền internet; thù lao, nhuận bút của Cổng thông tin điện tử: "
        f"{format_money(b['services'] + b['royalties'])} (trong đó nhuận bút đã chi trả: "
        f"{format_money(b['royalties'])})",
        f"Tổng kinh phí: {format_money(b['total'])}",
    ]
    return {
        "infrastructure": infrastructure,
        "platforms": [],
        "data": [],
        "applications": applications,
        "human_resources": [
            f"Nguồn nhân lực phục vụ ứng dụng CNTT tại {agency} có {count(v.get('itsec.it_staff'))} người."
        ],
        "security": [
            "Máy tính được cài đặt phần mềm phòng chống mã độc: "
            f"{count(v.get('itsec.computers.with_antivirus'))}/{count(comp)} máy "
            f"({_ratio(v.get('itsec.computers.with_antivirus'), comp)})."
        ],
        "budget": budget,
    }


def _punctuated(lines: list[str]) -> list[str]:
    """Recipients end with ";" and the last one with "." (Decree 30/2020, box 9b)."""
    bare = [line.rstrip(";.") for line in lines]
    return [f"{line};" for line in bare[:-1]] + [f"{line}." for line in bare[-1:]]


def content(plan) -> dict:
    snap = F.for_plan(plan)
    sections = {s.code: s.text for s in plan.sections.all()}
    values = snap["values"]
    generated = _part1_figures(plan, snap)
    part1 = [Block(f"Phần I\nĐÁNH GIÁ KẾT QUẢ THỰC HIỆN KẾ HOẠCH NĂM {plan.year - 1}", level=1)]
    part1.append(
        Block(
            "I. MÔI TRƯỜNG PHÁP LÝ",
            paragraphs=[b.text for b in plan.bases.all() if b.part == BasisPart.ASSESSMENT],
        )
    )
    for key, heading in PART1_SECTIONS.items():
        before = [fill(line, values) for line in _lines(sections.get(f"p1.{key}.before", ""))]
        after = [fill(line, values) for line in _lines(sections.get(f"p1.{key}.after", ""))]
        part1.append(Block(heading, paragraphs=before + generated[key] + after))

    part2 = [Block("Phần II\nNỘI DUNG KẾ HOẠCH", level=1)]
    bases = [b.text for b in plan.bases.all() if b.part == BasisPart.BASIS]
    part2.append(Block("I. CĂN CỨ LẬP KẾ HOẠCH", paragraphs=_bullets(bases) if len(bases) > 1 else bases))
    part2.append(Block(SECTIONS["purposes"], paragraphs=_bullets(_lines(sections.get("purposes", "")))))
    part2.append(Block("III. MỤC TIÊU CỤ THỂ", paragraphs=_bullets([t.text for t in plan.targets.all()])))
    part2.append(Block("IV. NHIỆM VỤ"))
    for code in TASK_SECTIONS:
        part2.append(Block(SECTIONS[code], level=3, paragraphs=_bullets(_lines(sections.get(code, "")))))
    part2.append(Block("V. GIẢI PHÁP"))
    for code in SOLUTION_SECTIONS:
        part2.append(Block(SECTIONS[code], level=3, paragraphs=_bullets(_lines(sections.get(code, "")))))
    part2.append(Block("VI. KINH PHÍ THỰC HIỆN: Phụ lục kèm theo."))
    part2.append(Block(SECTIONS["organisation"], paragraphs=_lines(sections.get("organisation", ""))))

    projects = list(plan.projects.all())
    rows = []
    for i, p in enumerate(projects, start=1):
        notes = p.notes
        if p.other:
            notes = "; ".join(filter(None, [notes, f"Nguồn khác: {million(p.other)}"]))
        rows.append(
            [
                str(i),
                p.name,
                p.lead_unit,
                p.objective,
                p.timing,
                million(p.total),
                million(p.recurrent) if p.recurrent else "",
                million(p.investment) if p.investment else "",
                notes,
            ]
        )
    totals = {k: sum(getattr(p, k) for p in projects) for k in ("total", "recurrent", "investment", "other")}
    agency = plan.agency_name or plan.organization.name
    number = plan.number_symbol or "      /KH"
    summary = plan.title
    if summary.lower().startswith("kế hoạch "):
        summary = summary[len("kế hoạch ") :]
        summary = summary[:1].upper() + summary[1:]
    return {
        "plan": plan,
        "parent_agency": plan.parent_agency.upper(),
        "agency": agency.upper(),
        "number_symbol": number,
        "place_date": place_date_line(plan.place, plan.date),
        "doc_type": "KẾ HOẠCH",
        "summary": summary,
        "blocks": part1 + part2,
        "recipients": _punctuated(plan.recipient_lines()),
        "signer": {
            "authority": plan.signer_authority.upper(),
            "position": plan.signer_position.upper(),
            "name": plan.signer_name,
        },
        "appendix": {
            "title": f"DANH MỤC NHIỆM VỤ, DỰ ÁN CHUYỂN ĐỔI SỐ NĂM {plan.year}",
            "attached": f"(Kèm theo Kế hoạch số: {number}, {long_date(plan.date) if plan.date else ''} của "
            f"{plan.organization.short_name or plan.organization.name})".replace(",  của", " của"),
            "headers": APPENDIX_HEADERS,
            "rows": rows,
            "totals": [
                million(totals["total"]),
                million(totals["recurrent"]) if totals["recurrent"] else "",
                million(totals["investment"]) if totals["investment"] else "",
            ],
            "total_words": amount_in_words(totals["total"]) if totals["total"] else "",
            "total_dong": totals["total"],
        },
        "figures": snap,
    }


# --- renderers -------------------------------------------------------------------------------


def to_pdf(plan) -> bytes:
    return render_pdf("plans/document.html", content(plan))


def _para(doc, text, *, bold=False, italic=False, size=13, align=None, indent=True, space_after=6):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    p.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt = p.paragraph_format
    fmt.space_after = Pt(space_after)
    if indent and align is None:
        fmt.first_line_indent = Cm(1.27)
    return p


def _body(doc, blocks):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for block in blocks:
        if block.heading:
            if block.level == 1:
                for line in block.heading.split("\n"):
                    _para(doc, line, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
            else:
                _para(doc, block.heading, bold=True, indent=False, italic=block.level == 3)
        for paragraph in block.paragraphs:
            _para(doc, paragraph)


def _appendix(document, appendix):
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(20), Mm(15)
    section.top_margin = section.bottom_margin = Mm(20)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(document, "PHỤ LỤC", bold=True, size=14, align=center, space_after=0)
    _para(document, appendix["title"], bold=True, size=14, align=center, space_after=0)
    _para(document, appendix["attached"], italic=True, align=center, space_after=0)
    _para(document, "(Đơn vị tính: triệu đồng)", italic=True, align=center)
    table = document.add_table(rows=3, cols=9)
    table.style = "Table Grid"
    head, sub, numbers = table.rows
    for i, header in enumerate(APPENDIX_HEADERS):
        if i in (6, 7):
            sub.cells[i].text = header
        elif i < 6 or i == 8:
            head.cells[i].merge(sub.cells[i])
            head.cells[i].text = header
    merged = head.cells[6].merge(head.cells[7])
    merged.text = "NGUỒN VỐN"
    for i, cell in enumerate(numbers.cells, start=1):
        cell.text = str(i)
    for row in (head, sub, numbers):
        for cell in row.cells:
            for p in cell.paragraphs:
                p.alignment = center
                for run in p.runs:
                    run.bold = row is not numbers
                    run.font.size = Pt(11)
    for values in appendix["rows"]:
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.text = value
            if i in (0, 4):
                cell.paragraphs[0].alignment = center
            elif i in (5, 6, 7):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    total = table.add_row().cells
    total[1].text = "TỔNG CỘNG"
    for i, value in zip((5, 6, 7), appendix["totals"], strict=True):
        total[i].text = value
        total[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for cell in total:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    if appendix["total_words"]:
        _para(document, f"(Bằng chữ: {appendix['total_words']}).", italic=True, indent=False)


def to_docx(plan) -> bytes:
    from docx import Document
    from docxtpl import DocxTemplate

    from apps.core.rendering.docx import render_docx

    data = content(plan)
    holder = DocxTemplate(str(TEMPLATE_DIR / "administrative.docx"))
    body = holder.new_subdoc()
    _body(body, data["blocks"])
    context = {
        "parent_agency": data["parent_agency"],
        "agency": data["agency"],
        "number_symbol": data["number_symbol"],
        "place_date": data["place_date"],
        "doc_type": data["doc_type"],
        "summary": data["summary"],
        "sections": [{"heading": "", "paragraphs": [], "table_doc": body}],
        "recipients": data["recipients"],
        "signer": data["signer"],
    }
    rendered = render_docx("administrative.docx", context, template=holder)
    # The appendix is a landscape section after the signature: added to the rendered document.
    document = Document(BytesIO(rendered))
    _appendix(document, data["appendix"])
    _declare_font(document)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def filename(plan, ext: str) -> str:
    return f"ke-hoach-cds-{plan.year}-v{plan.version}.{ext}"
