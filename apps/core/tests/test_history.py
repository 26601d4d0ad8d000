"""core.readable and core.history (issue #18.2): values as a Vietnamese reader expects them."""

import datetime as dt
from types import SimpleNamespace

from django.utils import translation

from apps.core import history, readable


def test_answers_are_label_value_pairs_in_vietnamese_formats():
    fields = [
        {"name": "ten", "label": "Tên tổ chức", "type": "text"},
        {"name": "ngay", "label": "Ngày thành lập", "type": "date"},
        {"name": "von", "label": "Vốn điều lệ (đồng)", "type": "number"},
        {"name": "loai", "label": "Loại hình", "type": "choice", "choices": [["tnhh", "Công ty TNHH"]]},
        {"name": "dong_y", "label": "Đồng ý công khai", "type": "boolean"},
        {"name": "tep", "label": "Bản vẽ", "type": "file"},
        {"name": "ghi_chu", "label": "Ghi chú", "type": "textarea"},
    ]
    data = {
        "ten": "Công ty Ánh Dương",
        "ngay": "2021-10-06",
        "von": "1500000.5",
        "loai": "tnhh",
        "dong_y": True,
        "tep": {"url": "/tep/1/", "name": "ban-ve.pdf"},
        "cu": "giá trị cũ",
    }
    with translation.override("vi"):
        rows = {a.label: a for a in readable.answers(fields, data)}
    assert rows["Tên tổ chức"].value == "Công ty Ánh Dương"
    assert rows["Ngày thành lập"].value == "06/10/2021"
    assert rows["Vốn điều lệ (đồng)"].value == "1.500.000,5"
    assert rows["Loại hình"].value == "Công ty TNHH"
    assert rows["Đồng ý công khai"].value == "Có"
    assert (rows["Bản vẽ"].value, rows["Bản vẽ"].url) == ("ban-ve.pdf", "/tep/1/")
    assert rows["Ghi chú"].value == "" and rows["Ghi chú"].multiline
    assert rows["Cu"].value == "giá trị cũ"  # an answer the schema no longer names is still shown


def test_json_is_read_as_text_without_escapes():
    raw = '{"body": "Đ\\u1eafk L\\u1eafk", "items": [1, 2500], "ok": true, "empty": null}'
    with translation.override("vi"):
        text = readable.plain(raw)
    assert text == "Nội dung: Đắk Lắk; Items: 1, 2.500; Ok: Có"  # a known key is translated


def test_a_year_inside_json_keeps_its_digits_together():
    raw = {"equipment_list": [{"name": "Máy rang", "year": 2017, "value": 1850}], "survey_year": 2024}
    with translation.override("vi"):
        text = readable.plain(raw)
    assert "Năm: 2017" in text and "2.017" not in text and "1.850" in text and ": 2024" in text


def test_a_moment_is_dd_mm_yyyy_hh_mm_in_vietnam_time():
    assert readable.format_moment(dt.datetime(2021, 10, 6, 2, 5, tzinfo=dt.UTC)) == "06/10/2021 09:05"


def _event(verb, at, changes, actor=None, note=""):
    return SimpleNamespace(
        verb=verb,
        at=at,
        changes=changes,
        actor=actor,
        actor_id=getattr(actor, "pk", None),
        actor_repr=str(actor or ""),
        note=note,
        content_type_id=None,
        object_id="1",
        request_id="",
    )


def test_a_field_diff_is_folded_into_the_move_of_the_same_step_and_nobody_is_the_system():
    at = dt.datetime(2022, 1, 5, 1, 0, tzinfo=dt.UTC)
    rows = [
        _event("fields_updated", at, {"reason": ["None", "Thiếu hồ sơ"]}),
        _event("some_move", at + dt.timedelta(seconds=1), {"reason": "Thiếu hồ sơ"}),
        _event("fields_updated", at + dt.timedelta(hours=2), {"reason": ["Thiếu hồ sơ", "None"]}),
    ]
    with translation.override("vi"):
        entries = history.timeline(rows)
    assert len(entries) == 2
    assert entries[0].actor == "Hệ thống" and entries[0].when == "05/01/2022 08:00"
    assert [(c.old, c.new) for c in entries[0].changes] == [("", "Thiếu hồ sơ")]
    assert [(c.old, c.new) for c in entries[1].changes] == [("Thiếu hồ sơ", "")]
