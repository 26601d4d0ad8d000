"""Editorial office: royalties and citizen questions (public and staff views)."""

from django.urls import path

from . import views_office as staff
from . import views_office_public as public

urlpatterns = [
    # Public: citizens' questions and the published answers.
    path("hoi-dap/", public.question_list, name="question_list"),
    path("hoi-dap/gui-cau-hoi/", public.ask, name="question_ask"),
    path("hoi-dap/da-gui/", public.question_sent, name="question_sent"),
    path("hoi-dap/<str:code>/", public.question_public, name="question_public"),
    # Staff: the editorial office.
    path("van-phong/cau-hoi/", staff.questions, name="office_questions"),
    path("van-phong/cau-hoi/thong-ke/", staff.question_stats, name="office_question_stats"),
    path("van-phong/cau-hoi/<id:pk>/", staff.question_detail, name="office_question"),
    path("van-phong/nhuan-but/", staff.royalties, name="office_royalties"),
    path("van-phong/nhuan-but/moi/", staff.royalty_edit, name="office_royalty_create"),
    path("van-phong/nhuan-but/<id:pk>/", staff.royalty_edit, name="office_royalty"),
    path("van-phong/nhuan-but/theo-nguoi/", staff.royalty_people, name="office_royalty_people"),
    path("van-phong/khung-nhuan-but/", staff.frames, name="office_frames"),
    path("van-phong/cong-tac-vien/", staff.contributors, name="office_contributors"),
    path("van-phong/cong-tac-vien/moi/", staff.contributor_edit, name="office_contributor_create"),
    path("van-phong/cong-tac-vien/<id:pk>/", staff.contributor_edit, name="office_contributor"),
    path("van-phong/bang-thanh-toan/", staff.payment_lists, name="office_payment_lists"),
    path("van-phong/bang-thanh-toan/moi/", staff.payment_list_create, name="office_payment_list_create"),
    path("van-phong/bang-thanh-toan/<id:pk>/", staff.payment_list_detail, name="office_payment_list"),
    path(
        "van-phong/bang-thanh-toan/<id:pk>/excel/", staff.payment_list_xlsx, name="office_payment_list_xlsx"
    ),
    path(
        "van-phong/bang-thanh-toan/<id:pk>/<str:action>/",
        staff.payment_list_transition,
        name="office_payment_list_transition",
    ),
    path(
        "van-phong/bang-thanh-toan/<id:pk>/bo-tac-pham/<id:item_pk>/",
        staff.payment_list_remove_item,
        name="office_payment_list_remove_item",
    ),
]
