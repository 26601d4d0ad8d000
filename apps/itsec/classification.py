"""Classification helper: walks the Decree 85/2016 criteria (as data) and proposes a level 1–5.

The criteria are a versioned table. Each criterion names the level it leads to, the facts it
needs and its source; `unconfirmed` criteria are from secondary sources or memory
(legal-rules.md C2 marks level 3 [L/M]; levels 4–5 are not in the reference at all) and the
reasons say so. The helper proposes; the owner decides (Decree 85 Art. 14–15).

Facts (InformationSystem.kind and .user_count, the rest in InformationSystem.facts):
- kind: internal | citizen | infrastructure | industrial | other
- information: list of public | private | personal | state_secret
- secret_grade: "" | mat | toi_mat | tuyet_mat
- online_service_level: 0–4 on the old (Decree 43/2011) scale
- conditional_business: services in the conditional-business list (bool)
- personal_data_users: number of people whose personal data it holds
- infrastructure_scope: "" | agency | sector | province | national
- serves_whole_sector: bool
"""

from dataclasses import dataclass, field

CRITERIA_VERSION = "NĐ 85/2016/NĐ-CP — bản 1 (theo legal-rules.md C2)"

CRITERIA: list[dict] = [
    {
        "code": "L1",
        "level": 1,
        "text": "Hệ thống phục vụ hoạt động nội bộ, chỉ xử lý thông tin công cộng",
        "when": {"kind": {"eq": "internal"}, "information": {"subset": ["public"]}},
        "source": "NĐ 85/2016, Điều 7",
        "unconfirmed": False,
    },
    {
        "code": "L2-noi-bo",
        "level": 2,
        "text": "Hệ thống nội bộ xử lý thông tin riêng hoặc dữ liệu cá nhân, không xử lý bí mật nhà nước",
        "when": {
            "kind": {"eq": "internal"},
            "information": {"any": ["private", "personal"]},
            "secret_grade": {"eq": ""},
        },
        "source": "NĐ 85/2016, Điều 8",
        "unconfirmed": False,
    },
    {
        "code": "L2-dvc",
        "level": 2,
        "text": (
            "Hệ thống phục vụ người dân, doanh nghiệp cung cấp thông tin, "
            "dịch vụ công trực tuyến đến mức độ 2"
        ),
        "when": {"kind": {"eq": "citizen"}, "online_service_level": {"between": [1, 2]}},
        "source": "NĐ 85/2016, Điều 8",
        "unconfirmed": False,
    },
    {
        "code": "L2-dlcn",
        "level": 2,
        "text": (
            "Hệ thống phục vụ người dân, doanh nghiệp xử lý dữ liệu cá nhân của dưới 10.000 người sử dụng"
        ),
        "when": {"kind": {"eq": "citizen"}, "personal_data_users": {"between": [1, 9999]}},
        "source": "NĐ 85/2016, Điều 8",
        "unconfirmed": False,
    },
    {
        "code": "L2-hatang",
        "level": 2,
        "text": "Hệ thống cơ sở hạ tầng thông tin phục vụ một cơ quan, tổ chức",
        "when": {"kind": {"eq": "infrastructure"}, "infrastructure_scope": {"eq": "agency"}},
        "source": "NĐ 85/2016, Điều 8",
        "unconfirmed": False,
    },
    {
        "code": "L3-mat",
        "level": 3,
        "text": "Hệ thống nội bộ xử lý thông tin bí mật nhà nước độ Mật",
        "when": {"secret_grade": {"eq": "mat"}},
        "source": "NĐ 85/2016, Điều 9 (chưa đối chiếu văn bản gốc)",
        "unconfirmed": True,
    },
    {
        "code": "L3-nganh",
        "level": 3,
        "text": "Hệ thống nội bộ phục vụ hoạt động của cả một ngành",
        "when": {"kind": {"eq": "internal"}, "serves_whole_sector": {"eq": True}},
        "source": "NĐ 85/2016, Điều 9 (chưa đối chiếu văn bản gốc)",
        "unconfirmed": True,
    },
    {
        "code": "L3-dvc",
        "level": 3,
        "text": "Hệ thống cung cấp dịch vụ công trực tuyến từ mức độ 3 trở lên",
        "when": {"kind": {"eq": "citizen"}, "online_service_level": {"gte": 3}},
        "source": "NĐ 85/2016, Điều 9 (chưa đối chiếu văn bản gốc)",
        "unconfirmed": True,
    },
    {
        "code": "L3-kddk",
        "level": 3,
        "text": "Hệ thống cung cấp dịch vụ trực tuyến thuộc danh mục ngành nghề kinh doanh có điều kiện",
        "when": {"kind": {"eq": "citizen"}, "conditional_business": {"eq": True}},
        "source": "NĐ 85/2016, Điều 9 (chưa đối chiếu văn bản gốc)",
        "unconfirmed": True,
    },
    {
        "code": "L3-dlcn",
        "level": 3,
        "text": "Hệ thống xử lý dữ liệu cá nhân của từ 10.000 người sử dụng trở lên",
        "when": {"personal_data_users": {"gte": 10000}},
        "source": "NĐ 85/2016, Điều 9 (chưa đối chiếu văn bản gốc)",
        "unconfirmed": True,
    },
    {
        "code": "L3-hatang",
        "level": 3,
        "text": "Hệ thống cơ sở hạ tầng thông tin dùng chung của ngành hoặc của tỉnh",
        "when": {"kind": {"eq": "infrastructure"}, "infrastructure_scope": {"in": ["sector", "province"]}},
        "source": "NĐ 85/2016, Điều 9 (chưa đối chiếu văn bản gốc)",
        "unconfirmed": True,
    },
    {
        "code": "L4-toimat",
        "level": 4,
        "text": "Hệ thống xử lý thông tin bí mật nhà nước độ Tối mật",
        "when": {"secret_grade": {"eq": "toi_mat"}},
        "source": "NĐ 85/2016, Điều 10 (chưa xác nhận, không có trong tài liệu tham chiếu)",
        "unconfirmed": True,
    },
    {
        "code": "L4-quocgia",
        "level": 4,
        "text": "Hệ thống cơ sở hạ tầng thông tin dùng chung phạm vi quốc gia",
        "when": {"kind": {"eq": "infrastructure"}, "infrastructure_scope": {"eq": "national"}},
        "source": "NĐ 85/2016, Điều 10 (chưa xác nhận, không có trong tài liệu tham chiếu)",
        "unconfirmed": True,
    },
    {
        "code": "L5-tuyetmat",
        "level": 5,
        "text": "Hệ thống xử lý thông tin bí mật nhà nước độ Tuyệt mật",
        "when": {"secret_grade": {"eq": "tuyet_mat"}},
        "source": "NĐ 85/2016, Điều 11 (chưa xác nhận, không có trong tài liệu tham chiếu)",
        "unconfirmed": True,
    },
]


def _holds(value, condition: dict) -> bool:
    op, arg = next(iter(condition.items()))
    if op == "eq":
        return value == arg
    if op == "in":
        return value in arg
    if op == "gte":
        return (value or 0) >= arg
    if op == "between":
        return arg[0] <= (value or 0) <= arg[1]
    if op == "any":
        return bool(set(value or []) & set(arg))
    if op == "subset":
        return bool(value) and set(value) <= set(arg)
    raise ValueError(f"unknown operator {op}")


@dataclass
class Proposal:
    level: int
    reasons: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    version: str = CRITERIA_VERSION


def facts_of(system) -> dict:
    facts = {
        "kind": system.kind,
        "information": ["public"],
        "secret_grade": "",
        "online_service_level": 0,
        "conditional_business": False,
        "personal_data_users": system.user_count,
        "infrastructure_scope": "",
        "serves_whole_sector": False,
    }
    facts.update(system.facts or {})
    return facts


def classify_facts(facts: dict, component_levels=()) -> Proposal:
    matched = [c for c in CRITERIA if all(_holds(facts.get(k), cond) for k, cond in c["when"].items())]
    level = max([c["level"] for c in matched] + [1])
    reasons = []
    for c in sorted(matched, key=lambda c: -c["level"]):
        mark = " [tiêu chí chưa được xác nhận với văn bản gốc]" if c["unconfirmed"] else ""
        reasons.append(f"Cấp độ {c['level']}: {c['text']} ({c['source']}){mark}.")
    if not matched:
        reasons.append("Cấp độ 1: không đáp ứng tiêu chí nào của cấp độ cao hơn.")
    if component_levels and max(component_levels) > level:
        level = max(component_levels)
        reasons.insert(0, f"Cấp độ {level}: hệ thống có thành phần ở cấp độ {level}; lấy cấp độ cao nhất.")
    return Proposal(level=level, reasons=reasons, matched=[c["code"] for c in matched])


def classify(system) -> Proposal:
    components = []
    if system.pk:
        for comp in system.components.all():
            comp_level = comp.approved_level or comp.proposed_level or classify(comp).level
            components.append(comp_level)
    return classify_facts(facts_of(system), components)
