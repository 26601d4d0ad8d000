"""The public function module other modules (dossiers, plans) rely on."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from apps.procedures import public, services

from .factories import make_published

pytestmark = pytest.mark.django_db

VALID = {"ho_ten": "  Nguyễn Thị Hoa ", "dien_thoai": "0912 345 678"}


def test_get_version_describes_the_procedure():
    version = make_published(code="2.002131")
    info = public.get_version(version.pk)
    assert info.version_id == version.pk and info.procedure_id == version.procedure_id
    assert info.code == "2.002131"
    assert info.field == "Năng lượng nguyên tử"
    assert info.processing_days == Decimal(10)
    assert sum(s.allowance_days for s in info.steps) == info.processing_days
    assert {s.role for s in info.steps} == {"one_stop_officer", "specialist", "unit_head", "leader"}
    assert info.documents[0] == public.DocumentSpec("don", "Đơn đề nghị", "original", 1, True, None)
    assert info.documents[1].quantity == 2 and info.documents[1].required is False
    assert info.form_fields[0] == public.FieldSpec("ho_ten", "Họ và tên", "text", True, (), 50)
    assert info.form_fields[-1].choices == ("moi", "cap_lai")
    assert info.channels == frozenset({"online", "walk_in"})
    assert info.legacy_level == 4 and info.online_level == "full"
    assert info.has_fee is False
    assert info.effective_from == datetime.date(2020, 1, 1)
    with pytest.raises(AttributeError):
        info.name = "x"  # frozen


def test_unknown_version_raises_procedure_not_found():
    with pytest.raises(public.ProcedureNotFound):
        public.get_version(987654)


def test_current_version_and_published_versions():
    version = make_published()
    make_published("Cấp chứng chỉ nhân viên bức xạ", field="An toàn bức xạ")
    assert public.current_version(version.procedure_id).version_id == version.pk
    assert public.current_version(version.procedure_id, on=datetime.date(2019, 12, 31)) is None
    names = [v.name for v in public.published_versions(search="cap giay phep")]
    assert names == ["Cấp giấy phép tiến hành công việc bức xạ"]
    assert [v.name for v in public.published_versions(field="An toàn bức xạ")] == [
        "Cấp chứng chỉ nhân viên bức xạ"
    ]
    assert len(public.published_versions()) == 2


def test_drafts_are_not_current_but_get_version_still_answers():
    version = make_published()
    draft = services.create_draft(None, version.procedure)
    assert public.current_version(version.procedure_id).version_id == version.pk
    assert public.get_version(draft.pk).version_id == draft.pk
    assert len(public.published_versions()) == 1


def test_validate_form_cleans_values():
    version = make_published()
    cleaned = public.validate_form(
        version.pk,
        {
            **VALID,
            "ngay_sinh": "06/10/1990",
            "so_thiet_bi": "1.000",
            "email": "Hoa@Example.VN",
            "x": "dropped",
        },
    )
    assert cleaned["ho_ten"] == "Nguyễn Thị Hoa"
    assert cleaned["dien_thoai"] == "0912345678"
    assert cleaned["ngay_sinh"] == "1990-10-06"
    assert cleaned["so_thiet_bi"] == "1000"
    assert cleaned["email"] == "hoa@example.vn"
    assert cleaned["hinh_thuc"] == ""
    assert "x" not in cleaned


def test_validate_form_reports_every_bad_field():
    version = make_published()
    with pytest.raises(ValidationError) as exc:
        public.validate_form(
            version.pk,
            {
                "ho_ten": "x" * 51,
                "ngay_sinh": "31/02/2020",
                "so_thiet_bi": "nhiều",
                "email": "không-phải-email",
                "hinh_thuc": "khac",
            },
        )
    errors = exc.value.message_dict
    assert set(errors) == {"ho_ten", "ngay_sinh", "so_thiet_bi", "email", "dien_thoai", "hinh_thuc"}
    assert errors["dien_thoai"] == [gettext("This field is required.")]


def test_fixed_fee():
    version = make_published(fee={"kind": "fixed", "amount": "3000000"})
    assert public.compute_fee(version.pk, {}) == Decimal(3000000)
    assert public.get_version(version.pk).has_fee is True


def test_no_fee():
    assert public.compute_fee(make_published().pk, VALID) == Decimal(0)


def test_per_item_fee_multiplies_by_the_quantity_field():
    version = make_published(fee={"kind": "per_item", "amount": "3000000", "quantity_field": "so_thiet_bi"})
    assert public.compute_fee(version.pk, {"so_thiet_bi": "3"}) == Decimal(9000000)
    with pytest.raises(ValidationError) as exc:
        public.compute_fee(version.pk, {"so_thiet_bi": "1,5"})
    assert "so_thiet_bi" in exc.value.message_dict
    with pytest.raises(ValidationError):
        public.compute_fee(version.pk, {})


@pytest.mark.parametrize(
    ("value", "fee"),
    [
        ("1000000000", Decimal(5000000)),  # 0,1% = 1.000.000 → raised to the minimum
        ("7500000000", Decimal(7500000)),  # inside the bounds
        ("50000000000", Decimal(10000000)),  # 50.000.000 → capped at the maximum
        ("7.654.321.500", Decimal(7654322)),  # Vietnamese digits; rounded half up to whole đồng
    ],
)
def test_formula_fee_with_min_and_max(value, fee):
    version = make_published(
        fee={"kind": "formula", "rate": "0.001", "base_field": "gia_tri", "min": "5000000", "max": "10000000"}
    )
    assert public.compute_fee(version.pk, {"gia_tri": value}) == fee


def test_procedure_url_is_the_public_page(client):
    version = make_published()
    url = public.procedure_url(version.procedure_id)
    assert url == f"/thu-tuc/{version.procedure_id}/"
    assert client.get(url).status_code == 200
