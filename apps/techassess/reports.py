"""Result report (PDF through core rendering), improvement suggestions and aggregate tables."""

from django.utils import timezone

from apps.core.formatting.vn import format_number
from apps.core.rendering.document import AdministrativeDocument, Section, Signer, Table, to_pdf

ILLUSTRATIVE_NOTE = (
    "MINH HỌA — Kết quả này được tính bằng phương pháp minh họa, không phải bảng điểm chính thức của "
    "Thông tư 17/2019/TT-BKHCN; không dùng làm căn cứ pháp lý."
)

# Improvement hints per group code of the 17/2019 structure (general advice, not from the circular).
SUGGESTIONS = {
    "T": "Xây dựng kế hoạch đổi mới, thay thế thiết bị lạc hậu; nâng mức tự động hóa dây chuyền chính; "
    "rà soát định mức tiêu hao năng lượng, nguyên vật liệu so với chuẩn ngành.",
    "E": "Nâng hiệu suất sử dụng công suất thiết kế; kiểm soát chất lượng để tăng tỷ lệ sản phẩm đạt "
    "tiêu chuẩn; đầu tư xử lý chất thải.",
    "O": "Áp dụng hệ thống quản lý (ISO 9001, HACCP…), đào tạo lại lao động kỹ thuật, ứng dụng phần mềm "
    "quản trị doanh nghiệp.",
    "R": "Bố trí kinh phí và nhân lực nghiên cứu – phát triển; hợp tác với viện, trường; tham gia các chương "
    "trình hỗ trợ đổi mới công nghệ của tỉnh.",
    "I": "Phát triển sản phẩm mới, cải tiến quy trình; đăng ký bảo hộ sở hữu trí tuệ; trích lập quỹ phát "
    "triển khoa học và công nghệ của doanh nghiệp.",
}


def suggestions(result, weakest: list[str]) -> list[dict]:
    return [
        {
            "code": code,
            "name": result.groups[code]["name"],
            "share": result.groups[code]["points"] / result.groups[code]["max"] * 100,
            "text": SUGGESTIONS.get(code, ""),
        }
        for code in weakest
    ]


def _n(value, decimals=2) -> str:
    value = float(value)
    return format_number(value, decimals) if value != int(value) else format_number(value)


def result_pdf(result) -> bytes:
    from . import engine, selectors

    enterprise = result.survey.enterprise
    sections = []
    if result.illustrative:
        sections.append(Section(heading="LƯU Ý", paragraphs=[ILLUSTRATIVE_NOTE]))
    sections.append(
        Section(
            heading="I. THÔNG TIN DOANH NGHIỆP",
            paragraphs=[
                f"Tên doanh nghiệp: {enterprise.name}",
                f"Mã số thuế: {enterprise.tax_code}; mã ngành VSIC: {enterprise.vsic_code}"
                + (f" ({enterprise.industry_name})" if enterprise.industry_name else ""),
                f"Địa bàn: {enterprise.commune}",
                f"Năm khảo sát: {result.year}; phương pháp: {result.methodology_label}",
            ],
        )
    )
    average = selectors.sector_average(result)
    headers = ["Nhóm tiêu chí", "Điểm đạt", "Điểm tối đa", "Tỷ lệ"]
    if average:
        headers.append("Trung bình ngành")
    rows = []
    order = [g["code"] for g in result.methodology.definition.get("groups") or []]
    codes = [c for c in order if c in result.groups] + [c for c in result.groups if c not in order]
    for code, g in ((c, result.groups[c]) for c in codes):  # T, E, O, R, I: jsonb sorts its keys
        row = [
            f"{code} — {g['name']}",
            _n(g["points"]),
            _n(g["max"]),
            f"{_n(g['points'] / g['max'] * 100, 1)}%",
        ]
        if average:
            row.append(_n(average["groups"].get(code, 0)))
        rows.append(row)
    total_row = ["Tổng điểm", _n(result.total), "100", ""]
    if average:
        total_row.append(_n(average["total"]))
    rows.append(total_row)
    sections.append(
        Section(
            heading="II. KẾT QUẢ ĐÁNH GIÁ",
            paragraphs=[
                f"Tổng điểm: {_n(result.total)}/100; hệ số đồng bộ: {_n(result.coefficient, 3)}; "
                f"xếp loại: {result.class_name}" + (" (minh họa)." if result.illustrative else "."),
            ],
            table=Table(headers=headers, rows=rows),
        )
    )
    sections.append(
        Section(
            heading="III. ĐIỂM THEO TỪNG TIÊU CHÍ",
            table=Table(
                headers=["TT", "Tiêu chí", "Điểm", "Tối đa", "Cách tính"],
                rows=[
                    [
                        c["number"],
                        f"{c['code']} {c['name']}",
                        _n(c["points"]),
                        _n(c["max_points"]),
                        c["explanation"],
                    ]
                    for c in result.criteria
                ],
            ),
        )
    )
    weakest = engine.weakest_groups(result.groups)
    sections.append(
        Section(
            heading="IV. LĨNH VỰC CẦN CẢI THIỆN",
            paragraphs=[f"{s['code']} — {s['name']}: {s['text']}" for s in suggestions(result, weakest)],
        )
    )
    legacy = list(enterprise.legacy_results.order_by("-year"))
    if legacy:
        sections.append(
            Section(
                heading="V. KẾT QUẢ TRƯỚC ĐÂY THEO THÔNG TƯ 04/2014/TT-BKHCN (PHƯƠNG PHÁP CŨ)",
                paragraphs=[
                    "Ghi nhận nguyên như báo cáo cũ, không tính lại. Các thành phần T (thiết bị), "
                    "H (nhân lực), I (thông tin), O (tổ chức quản lý) của Thông tư 04/2014 không so sánh "
                    "trực tiếp được với các nhóm T, E, O, R, I của Thông tư 17/2019."
                ],
                table=Table(
                    headers=["Năm", "T", "H", "I", "O", "Tổng điểm", "TCC", "Mức"],
                    rows=[
                        [
                            str(r.year),
                            *["—" if v is None else _n(v) for v in r.group_values()],
                            "—" if r.total is None else _n(r.total),
                            "—" if r.tcc is None else _n(r.tcc, 3),
                            r.class_name or "—",
                        ]
                        for r in legacy
                    ],
                ),
            )
        )
    document = AdministrativeDocument(
        parent_agency="UBND TỈNH ĐẮK LẮK",
        agency="Sở Khoa học và Công nghệ",
        doc_type="KẾT QUẢ ĐÁNH GIÁ" + (" (MINH HỌA)" if result.illustrative else ""),
        summary="Trình độ và năng lực công nghệ sản xuất của doanh nghiệp",
        place="Đắk Lắk",
        date=timezone.localdate(result.computed_at),
        signer=Signer(position="TRƯỞNG PHÒNG QUẢN LÝ CÔNG NGHỆ", name="", authority="TL. GIÁM ĐỐC"),
        number_symbol="      /KQ-SKHCN",
        sections=sections,
        recipients=[enterprise.name, "Lưu: VT, QLCN."],
    )
    return to_pdf(document)


def aggregate_table(data: dict):
    codes = data.get("group_codes") or []
    headers = ["Phạm vi", "Tên", "Số doanh nghiệp", "Điểm trung bình", "Hệ số đồng bộ", *codes]
    class_names = [c["name"] for c in (data.get("province") or {}).get("classes", [])]
    headers += class_names

    def row(scope, item):
        return [
            scope,
            item.get("name", ""),
            item["count"],
            item["total"],
            item["coefficient"],
            *[item["groups"].get(c) for c in codes],
            *[c["count"] for c in item["classes"]],
        ]

    rows = []
    if data.get("province"):
        rows.append(row("Toàn tỉnh", {"name": f"Năm {data['year']}", **data["province"]}))
    rows += [row("Ngành", i) for i in data.get("industries", [])]
    rows += [row("Xã, phường", i) for i in data.get("communes", [])]
    rows += [row("Năm", {"name": str(t["year"]), **t}) for t in data.get("trend", [])]
    return headers, rows
