"""Demo data of the public site: the page tree, news, bulletin issues and commune information points.

Idempotent: pages are found by slug under their parent, snippets by natural key.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from apps.core.text import normalize

CATEGORIES = [
    ("hoat-dong", "Hoạt động của Sở", "Department news", 1),
    ("chuyen-doi-so", "Chuyển đổi số", "Digital transformation", 2),
    ("khoa-hoc-cong-nghe", "Khoa học và công nghệ", "Science and technology", 3),
    ("tieu-chuan-do-luong", "Tiêu chuẩn – Đo lường – Chất lượng", "Standards, metrology and quality", 4),
    ("so-huu-tri-tue", "Sở hữu trí tuệ", "Intellectual property", 5),
    ("thong-bao", "Thông báo", "Announcements", 6),
]

# slug, category, date, title, lead, authors, English title (some items only)
NEWS = [
    (
        "ke-hoach-172-chinh-quyen-so-2022",
        "chuyen-doi-so",
        "2021-10-06",
        "Sở KH&CN ban hành Kế hoạch phát triển chính quyền số và bảo đảm an toàn thông tin mạng năm 2022",
        "Kế hoạch số 172/KH-SKHCN ngày 06/10/2021 đặt mục tiêu 100% văn bản trao đổi giữa các cơ quan nhà "
        "nước "
        "dưới dạng điện tử (trừ văn bản mật) và 100% đơn vị trực thuộc sử dụng chữ ký số chuyên dùng.",
        "Văn phòng Sở",
        "Department adopts its 2022 digital-government and cyber-security plan",
    ),
    (
        "danh-gia-ket-qua-cntt-2021",
        "chuyen-doi-so",
        "2021-10-04",
        "Kết quả ứng dụng công nghệ thông tin năm 2021: 100% công chức, viên chức được trang bị máy tính",
        "77/77 máy tính kết nối internet tốc độ cao và được cài phần mềm phòng chống mã độc; 100% cán bộ sử "
        "dụng "
        "hệ thống quản lý văn bản và điều hành.",
        "Trung tâm Thông tin – Ứng dụng KH&CN",
        "IT use in 2021: one computer for every civil servant",
    ),
    (
        "dich-vu-cong-truc-tuyen-54-thu-tuc",
        "chuyen-doi-so",
        "2021-10-08",
        "54 thủ tục hành chính của Sở được cung cấp trên Hệ thống thông tin giải quyết thủ tục hành chính",
        "Trong năm 2021, 47 hồ sơ được tiếp nhận, giải quyết và trả kết quả qua hệ thống một cửa điện tử, "
        "đạt 100%.",
        "Văn phòng Sở",
        "",
    ),
    (
        "tap-huan-ky-nang-so-2022",
        "chuyen-doi-so",
        "2022-03-15",
        "Tập huấn kỹ năng số cho công chức, viên chức của Sở",
        "Lớp tập huấn giúp cán bộ sử dụng thành thạo chữ ký số, hệ thống quản lý văn bản và các biện pháp "
        "bảo đảm an toàn thông tin cơ bản.",
        "Trung tâm Thông tin – Ứng dụng KH&CN",
        "",
    ),
    (
        "chu-ky-so-chuyen-dung",
        "chuyen-doi-so",
        "2022-05-10",
        "Triển khai chữ ký số chuyên dùng tại các đơn vị trực thuộc Sở",
        "Các phòng, đơn vị trực thuộc đã được cấp chứng thư số chuyên dùng để ký và phát hành văn bản điện "
        "tử.",
        "Văn phòng Sở",
        "Government digital signatures rolled out across the department",
    ),
    (
        "an-toan-thong-tin-cap-do",
        "chuyen-doi-so",
        "2022-06-20",
        "Hoàn thiện hồ sơ đề xuất cấp độ an toàn hệ thống thông tin",
        "Sở phối hợp với Sở Thông tin và Truyền thông thẩm định hồ sơ đề xuất cấp độ cho các hệ thống thông "
        "tin "
        "đang vận hành.",
        "Trung tâm Thông tin – Ứng dụng KH&CN",
        "",
    ),
    (
        "danh-gia-trinh-do-cong-nghe-doanh-nghiep",
        "khoa-hoc-cong-nghe",
        "2022-07-12",
        "Nâng cấp phần mềm đánh giá trình độ công nghệ của doanh nghiệp theo Thông tư 17/2019/TT-BKHCN",
        "Doanh nghiệp trên địa bàn tỉnh có thể tự đánh giá trình độ, năng lực công nghệ sản xuất trực tuyến.",
        "Phòng Quản lý Công nghệ",
        "Online technology-level assessment for enterprises",
    ),
    (
        "nghiem-thu-de-tai-ca-phe",
        "khoa-hoc-cong-nghe",
        "2022-08-03",
        "Nghiệm thu đề tài ứng dụng công nghệ sinh học trong tái canh cà phê",
        "Hội đồng khoa học cấp tỉnh đánh giá đề tài đạt yêu cầu, đề xuất chuyển giao kết quả cho các hợp tác "
        "xã.",
        "Phòng Quản lý Khoa học",
        "",
    ),
    (
        "san-pham-ocop-truy-xuat-nguon-goc",
        "khoa-hoc-cong-nghe",
        "2022-09-14",
        "Hỗ trợ doanh nghiệp áp dụng mã truy xuất nguồn gốc cho sản phẩm OCOP",
        "Hơn 30 cơ sở sản xuất được hướng dẫn đăng ký mã số, mã vạch và tem truy xuất nguồn gốc điện tử.",
        "Chi cục Tiêu chuẩn Đo lường Chất lượng",
        "",
    ),
    (
        "kiem-dinh-cot-do-xang-dau",
        "tieu-chuan-do-luong",
        "2022-04-18",
        "Kiểm tra đo lường đối với cột đo xăng dầu tại các cửa hàng bán lẻ",
        "Đoàn kiểm tra đã kiểm tra phương tiện đo, lượng hàng đóng gói sẵn tại các cửa hàng xăng dầu trên "
        "địa bàn.",
        "Chi cục Tiêu chuẩn Đo lường Chất lượng",
        "",
    ),
    (
        "nang-suat-chat-luong-2022",
        "tieu-chuan-do-luong",
        "2022-10-05",
        "Hội nghị nâng cao năng suất và chất lượng sản phẩm, hàng hoá năm 2022",
        "Hội nghị giới thiệu các công cụ cải tiến năng suất và hệ thống quản lý chất lượng cho doanh nghiệp.",
        "Chi cục Tiêu chuẩn Đo lường Chất lượng",
        "",
    ),
    (
        "nhan-hieu-chung-nhan-sau-rieng",
        "so-huu-tri-tue",
        "2022-11-09",
        "Quản lý và phát triển nhãn hiệu chứng nhận cho sầu riêng Đắk Lắk",
        "Sở hướng dẫn các hợp tác xã sử dụng nhãn hiệu chứng nhận đúng quy chế và mở rộng vùng nguyên liệu.",
        "Phòng Quản lý Công nghệ",
        "",
    ),
    (
        "chi-dan-dia-ly-ca-phe-buon-ma-thuot",
        "so-huu-tri-tue",
        "2023-02-22",
        "Nâng cao giá trị chỉ dẫn địa lý cà phê Buôn Ma Thuột",
        "Các doanh nghiệp được hỗ trợ kiểm soát chất lượng và quảng bá sản phẩm mang chỉ dẫn địa lý.",
        "Phòng Quản lý Công nghệ",
        "Adding value to the Buôn Ma Thuột coffee geographical indication",
    ),
    (
        "thong-bao-de-xuat-nhiem-vu-2024",
        "thong-bao",
        "2023-03-01",
        "Thông báo đề xuất nhiệm vụ khoa học và công nghệ cấp tỉnh",
        "Các tổ chức, cá nhân gửi đề xuất đặt hàng nhiệm vụ KH&CN cấp tỉnh về Sở theo mẫu quy định.",
        "Phòng Quản lý Khoa học",
        "",
    ),
    (
        "thong-bao-tuyen-chon-to-chuc-chu-tri",
        "thong-bao",
        "2023-04-12",
        "Thông báo tuyển chọn tổ chức, cá nhân chủ trì nhiệm vụ KH&CN",
        "Hồ sơ đăng ký tuyển chọn nộp trực tuyến hoặc trực tiếp tại Bộ phận Một cửa của Sở.",
        "Phòng Quản lý Khoa học",
        "",
    ),
    (
        "hoi-nghi-tong-ket-2022",
        "hoat-dong",
        "2023-01-10",
        "Hội nghị tổng kết công tác khoa học và công nghệ năm 2022",
        "Ngành KH&CN tỉnh hoàn thành các chỉ tiêu kế hoạch, đẩy mạnh ứng dụng tiến bộ kỹ thuật vào sản xuất.",
        "Văn phòng Sở",
        "Year-end review of science and technology work",
    ),
    (
        "khoi-nghiep-doi-moi-sang-tao",
        "khoa-hoc-cong-nghe",
        "2023-05-16",
        "Ngày hội khởi nghiệp đổi mới sáng tạo tỉnh Đắk Lắk",
        "Hơn 40 dự án khởi nghiệp tham gia trưng bày, kết nối với nhà đầu tư và các tổ chức hỗ trợ.",
        "Trung tâm Thông tin – Ứng dụng KH&CN",
        "Provincial start-up and innovation day",
    ),
    (
        "cho-cong-nghe-thiet-bi",
        "khoa-hoc-cong-nghe",
        "2023-06-21",
        "Kết nối cung cầu công nghệ phục vụ nông nghiệp công nghệ cao",
        "Sự kiện giới thiệu các công nghệ tưới tiết kiệm, cảm biến môi trường và nhà màng.",
        "Phòng Quản lý Công nghệ",
        "",
    ),
    (
        "diem-thong-tin-khcn-cap-xa",
        "khoa-hoc-cong-nghe",
        "2023-08-08",
        "Mở rộng mạng lưới điểm thông tin khoa học và công nghệ cấp xã",
        "Các điểm thông tin giúp người dân tra cứu tài liệu kỹ thuật, giống cây trồng và quy trình canh tác.",
        "Trung tâm Thông tin – Ứng dụng KH&CN",
        "More commune S&T information points",
    ),
    (
        "an-toan-thong-tin-dien-tap",
        "chuyen-doi-so",
        "2023-09-27",
        "Diễn tập ứng cứu sự cố an toàn thông tin mạng",
        "Đội ứng cứu sự cố của Sở tham gia diễn tập phòng chống tấn công mã độc tống tiền.",
        "Trung tâm Thông tin – Ứng dụng KH&CN",
        "",
    ),
    (
        "chuyen-doi-so-doanh-nghiep-nho",
        "chuyen-doi-so",
        "2024-03-19",
        "Hỗ trợ doanh nghiệp nhỏ và vừa chuyển đổi số",
        "Chương trình tư vấn miễn phí giúp doanh nghiệp đánh giá mức độ sẵn sàng chuyển đổi số.",
        "Phòng Quản lý Công nghệ",
        "Helping small businesses go digital",
    ),
    (
        "giai-thuong-sang-tao-ky-thuat",
        "khoa-hoc-cong-nghe",
        "2024-05-28",
        "Trao giải Hội thi sáng tạo kỹ thuật tỉnh",
        "Nhiều giải pháp về cơ giới hoá sau thu hoạch và xử lý phụ phẩm nông nghiệp được trao giải.",
        "Văn phòng Sở",
        "",
    ),
    (
        "kiem-tra-chat-luong-mu-bao-hiem",
        "tieu-chuan-do-luong",
        "2024-06-11",
        "Kiểm tra chất lượng mũ bảo hiểm lưu thông trên thị trường",
        "Đoàn kiểm tra lấy mẫu và hướng dẫn cơ sở kinh doanh thực hiện ghi nhãn, công bố hợp quy.",
        "Chi cục Tiêu chuẩn Đo lường Chất lượng",
        "",
    ),
    (
        "sap-xep-don-vi-hanh-chinh-2025",
        "hoat-dong",
        "2025-07-01",
        "Sở KH&CN tỉnh Đắk Lắk (mới) đi vào hoạt động sau sắp xếp đơn vị hành chính",
        "Từ ngày 01/7/2025, tỉnh Đắk Lắk và tỉnh Phú Yên hợp nhất; Sở tiếp tục giải quyết thủ tục hành chính "
        "không phụ thuộc địa giới hành chính trong tỉnh.",
        "Văn phòng Sở",
        "The department after the 2025 merger",
    ),
    (
        "ho-tro-xa-chuyen-doi-so",
        "chuyen-doi-so",
        "2025-08-20",
        "Hỗ trợ các xã, phường mới vận hành hệ thống một cửa điện tử",
        "Tổ công tác hướng dẫn cán bộ xã sử dụng phần mềm giải quyết thủ tục hành chính và chữ ký số.",
        "Trung tâm Thông tin – Ứng dụng KH&CN",
        "",
    ),
    (
        "cong-thong-tin-moi",
        "thong-bao",
        "2025-10-15",
        "Cổng thông tin điện tử của Sở chạy trên nền tảng mới",
        "Cổng thông tin tích hợp danh mục thủ tục, tra cứu hồ sơ, hỏi đáp và bản tin KH&CN.",
        "Trung tâm Thông tin – Ứng dụng KH&CN",
        "The department's portal moves to a new platform",
    ),
    (
        "dinh-vi-ca-phe-dac-san",
        "khoa-hoc-cong-nghe",
        "2025-11-05",
        "Ứng dụng công nghệ số trong quản lý vùng trồng cà phê đặc sản",
        "Mã số vùng trồng được số hoá, kết nối dữ liệu canh tác với hệ thống truy xuất nguồn gốc.",
        "Phòng Quản lý Công nghệ",
        "",
    ),
    (
        "tuan-le-khcn-2025",
        "hoat-dong",
        "2025-11-20",
        "Tuần lễ khoa học và công nghệ tỉnh năm 2025",
        "Chuỗi hội thảo, triển lãm giới thiệu thành tựu KH&CN và đổi mới sáng tạo của tỉnh.",
        "Văn phòng Sở",
        "Provincial science and technology week 2025",
    ),
    (
        "thong-bao-lich-tiep-cong-dan",
        "thong-bao",
        "2025-11-24",
        "Thông báo lịch tiếp công dân định kỳ của lãnh đạo Sở",
        "Lãnh đạo Sở tiếp công dân vào ngày 15 hằng tháng tại trụ sở Sở; trùng ngày nghỉ thì chuyển sang "
        "ngày "
        "làm việc kế tiếp.",
        "Văn phòng Sở",
        "",
    ),
    (
        "thong-tin-hoi-dap-truc-tuyen",
        "thong-bao",
        "2025-11-26",
        "Tiếp nhận câu hỏi của người dân và doanh nghiệp trên Cổng thông tin",
        "Người dân, doanh nghiệp gửi câu hỏi trực tuyến; câu trả lời được công khai sau khi được phê duyệt.",
        "Văn phòng Sở",
        "",
    ),
]

SECTIONS = [
    # slug, title, English title, lead, body paragraphs
    (
        "chuc-nang-nhiem-vu",
        "Chức năng, nhiệm vụ",
        "Functions and duties",
        "Sở Khoa học và Công nghệ là cơ quan chuyên môn thuộc Uỷ ban nhân dân tỉnh.",
        [
            "Sở Khoa học và Công nghệ tham mưu, giúp Uỷ ban nhân dân tỉnh quản lý nhà nước về hoạt động khoa "
            "học, "
            "công nghệ và đổi mới sáng tạo; phát triển tiềm lực khoa học và công nghệ; tiêu chuẩn, đo lường, "
            "chất "
            "lượng; sở hữu trí tuệ; ứng dụng bức xạ và đồng vị phóng xạ; an toàn bức xạ và hạt nhân; chuyển "
            "đổi số "
            "theo phân công.",
            "Sở có tư cách pháp nhân, con dấu và tài khoản riêng; chịu sự chỉ đạo về chuyên môn, nghiệp vụ "
            "của Bộ "
            "Khoa học và Công nghệ.",
        ],
    ),
    (
        "co-cau-to-chuc",
        "Cơ cấu tổ chức",
        "Organisation",
        "Lãnh đạo Sở, các phòng chuyên môn và đơn vị trực thuộc.",
        [
            "Lãnh đạo Sở gồm Giám đốc và các Phó Giám đốc.",
            "Các phòng và đơn vị: Văn phòng Sở; Thanh tra Sở; Phòng Kế hoạch – Tài chính; Phòng Quản lý Khoa "
            "học; "
            "Phòng Quản lý Công nghệ; Chi cục Tiêu chuẩn Đo lường Chất lượng; Trung tâm Thông tin – Ứng dụng "
            "KH&CN.",
        ],
    ),
    (
        "lien-he",
        "Liên hệ",
        "Contacts",
        "Thông tin liên hệ của Sở Khoa học và Công nghệ tỉnh Đắk Lắk.",
        [
            "Bộ phận Một cửa của Sở tiếp nhận hồ sơ trong giờ hành chính từ thứ Hai đến thứ Sáu.",
            "Cổng thông tin điện tử: skhcn.daklak.gov.vn. Câu hỏi của người dân và doanh nghiệp xin gửi qua "
            "mục "
            "Hỏi đáp của Cổng.",
        ],
    ),
]

LEGAL_DOCUMENTS = [
    ("29/2013/QH13", "2013-06-18", "Quốc hội", "Luật Khoa học và công nghệ"),
    (
        "18/2014/NĐ-CP",
        "2014-03-14",
        "Chính phủ",
        "Nghị định quy định về chế độ nhuận bút trong lĩnh vực báo chí, xuất bản",
    ),
    (
        "04-NQ/TU",
        "2021-04-02",
        "Ban Chấp hành Đảng bộ tỉnh",
        "Nghị quyết về chuyển đổi số tỉnh Đắk Lắk giai đoạn 2021 – 2025, định hướng đến năm 2030",
    ),
    (
        "172/KH-SKHCN",
        "2021-10-06",
        "Sở Khoa học và Công nghệ tỉnh Đắk Lắk",
        "Kế hoạch phát triển chính quyền số và bảo đảm an toàn thông tin mạng năm 2022",
    ),
]

BULLETIN_ISSUES = [
    (
        "so-1-2025",
        "Số 1/2025",
        "2025-02-28",
        "Chuyển đổi số trong nông nghiệp; mô hình tưới tiết kiệm cho cà phê.",
    ),
    ("so-2-2025", "Số 2/2025", "2025-04-30", "Khởi nghiệp đổi mới sáng tạo; quản lý nhãn hiệu chứng nhận."),
    ("so-3-2025", "Số 3/2025", "2025-06-30", "Tiêu chuẩn, đo lường, chất lượng; an toàn bức xạ trong y tế."),
    ("so-4-2025", "Số 4/2025", "2025-08-31", "Sắp xếp đơn vị hành chính và hoạt động KH&CN ở cấp xã."),
    ("so-5-2025", "Số 5/2025", "2025-10-31", "Điểm thông tin KH&CN cấp xã; giống cây trồng mới."),
]

POINT_CONTACTS = [
    "Nguyễn Văn An",
    "H' Lan Niê",
    "Trần Thị Bích",
    "Y Khoa Mlô",
    "Lê Văn Cường",
    "Phạm Thị Dung",
]


def _paragraphs(texts):
    return [("paragraph", f"<p>{t}</p>") for t in texts]


def _child(parent, model, slug, **fields):
    """The child page with this slug under `parent`; created and published once, then left to editors."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is not None:
        return page
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return model.objects.get(pk=page.pk)


def ensure_site():
    """The portal's home page as the default site's root (created once)."""
    from django.conf import settings
    from wagtail.models import Locale, Page, Site

    from .models import PortalHomePage

    # Wagtail's migrations create the locale and the tree's root; a flushed test database has neither.
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    home = PortalHomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
        home = PortalHomePage(
            title="Cổng thông tin điện tử Sở Khoa học và Công nghệ tỉnh Đắk Lắk",
            title_en="Department of Science and Technology of Đắk Lắk",
            slug="trang-chu",
            intro="Tin tức, thủ tục hành chính, văn bản và thông tin khoa học – công nghệ của Sở.",
            intro_en=(
                "News, public services, documents and science and technology information of the department."
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="")
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.save()
        # Wagtail's placeholder "Welcome" page is of the base Page class; it has no use any more.
        if old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()
    return PortalHomePage.objects.get(pk=home.pk)


@transaction.atomic
def seed() -> dict:
    from . import site_setup
    from .models import (
        BulletinIndexPage,
        BulletinIssuePage,
        CommuneDirectoryPage,
        CommuneInfoPoint,
        LegalDocument,
        LegalDocumentsPage,
        NewsArticlePage,
        NewsCategory,
        NewsIndexPage,
        PublicServicesPage,
        StandardPage,
        WorkSchedulePage,
        dak_lak_communes,
    )

    home = ensure_site()
    categories = {}
    for slug, name, name_en, position in CATEGORIES:
        categories[slug], _created = NewsCategory.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
        )

    news_index = _child(
        home,
        NewsIndexPage,
        "tin-tuc",
        title="Tin tức",
        title_en="News",
        show_in_menus=True,
        intro="Tin hoạt động của Sở và ngành khoa học – công nghệ tỉnh Đắk Lắk.",
    )
    created_news = 0
    for slug, category, day, title, lead, authors, title_en in NEWS:
        exists = NewsArticlePage.objects.child_of(news_index).filter(slug=slug).exists()
        article = _child(
            news_index,
            NewsArticlePage,
            slug,
            title=title,
            title_en=title_en,
            lead=lead,
            authors=authors,
            category=categories[category],
            date=datetime.date.fromisoformat(day),
            body=_paragraphs([lead, "Thông tin chi tiết xin liên hệ đơn vị chủ trì hoặc Văn phòng Sở."]),
        )
        if not exists:
            created_news += 1
            moment = timezone.make_aware(datetime.datetime.fromisoformat(day).replace(hour=8))
            NewsArticlePage.objects.filter(pk=article.pk).update(
                first_published_at=moment, last_published_at=moment
            )

    about = _child(
        home,
        StandardPage,
        "gioi-thieu",
        title="Giới thiệu",
        title_en="About us",
        show_in_menus=True,
        lead="Giới thiệu Sở Khoa học và Công nghệ tỉnh Đắk Lắk.",
        body=_paragraphs(["Chức năng, nhiệm vụ, cơ cấu tổ chức và thông tin liên hệ của Sở."]),
    )
    for slug, title, title_en, lead, paragraphs in SECTIONS:
        _child(
            about, StandardPage, slug, title=title, title_en=title_en, lead=lead, body=_paragraphs(paragraphs)
        )

    _child(
        home,
        PublicServicesPage,
        "dich-vu-cong",
        title="Dịch vụ công",
        title_en="Public services",
        show_in_menus=True,
        intro="Tra cứu thủ tục hành chính, nộp hồ sơ trực tuyến và theo dõi tình trạng giải quyết hồ sơ.",
    )
    legal = _child(
        home,
        LegalDocumentsPage,
        "van-ban-phap-luat",
        title="Văn bản pháp luật",
        title_en="Legal documents",
        show_in_menus=True,
        intro="Văn bản quy phạm pháp luật và văn bản chỉ đạo, điều hành được công khai.",
    )
    for position, (number, day, issuer, title) in enumerate(LEGAL_DOCUMENTS):
        LegalDocument.objects.update_or_create(
            page=legal,
            number=number,
            defaults={
                "issued_on": datetime.date.fromisoformat(day),
                "issuer": issuer,
                "title": title,
                "sort_order": position,
            },
        )
    bulletin = _child(
        home,
        BulletinIndexPage,
        "ban-tin-khcn",
        title="Bản tin Khoa học và Công nghệ",
        title_en="S&T bulletin",
        show_in_menus=True,
        intro="Bản tin KH&CN phát hành định kỳ hai tháng một số.",
    )
    for slug, number, day, summary in BULLETIN_ISSUES:
        _child(
            bulletin,
            BulletinIssuePage,
            slug,
            title=f"Bản tin KH&CN {number}",
            issue_number=number,
            issued_on=datetime.date.fromisoformat(day),
            summary=summary,
            body=_paragraphs([summary]),
        )
    _child(
        home,
        CommuneDirectoryPage,
        "diem-thong-tin-khcn",
        title="Điểm thông tin KH&CN cấp xã",
        title_en="Commune S&T information points",
        show_in_menus=True,
        intro="Danh bạ các điểm thông tin khoa học và công nghệ tại các xã, phường của tỉnh.",
    )
    _child(
        home,
        WorkSchedulePage,
        "lich-cong-tac",
        title="Lịch công tác tuần",
        title_en="Weekly work schedule",
        show_in_menus=True,
        organization_code="skhcn",
    )

    communes = dak_lak_communes()
    points = 0
    for index, (code, name) in enumerate(communes[::8][:14]):
        _obj, created = CommuneInfoPoint.objects.update_or_create(
            ward_code=code,
            defaults={
                "address": f"Trụ sở UBND {name}",
                "contact_person": POINT_CONTACTS[index % len(POINT_CONTACTS)],
                "phone": f"0262 38{index:02d} {100 + index * 7}",
                "email": f"diemkhcn.{normalize(name).replace(' ', '')}@daklak.gov.vn",
                "opened_on": datetime.date(2023, 8, 8) + datetime.timedelta(days=30 * index),
                "services": "Tra cứu tài liệu kỹ thuật; tư vấn giống cây trồng, quy trình canh tác; truy cập "
                "internet.",
                "is_active": True,
            },
        )
        points += int(created)

    for section in (news_index, about, bulletin, legal):
        site_setup.ensure_section_permissions(section)
    return {"news": created_news, "commune_points": points}
