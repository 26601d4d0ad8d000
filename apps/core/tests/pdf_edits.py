"""Changes a forger makes to a signed PDF by an incremental update (the signed bytes stay intact)."""

from io import BytesIO

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter


def _written(writer) -> bytes:
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def append_content(data: bytes) -> bytes:
    """New text drawn on page 1 after the signature."""
    writer = IncrementalPdfFileWriter(BytesIO(data))
    stream = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (Da sua) Tj ET"))
    writer.add_stream_to_page(0, stream)
    return _written(writer)


def append_annotation(data: bytes) -> bytes:
    """A comment annotation added to page 1 after the signature."""
    writer = IncrementalPdfFileWriter(BytesIO(data))
    page_ref, _resources = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    name = generic.NameObject
    annotation = writer.add_object(
        generic.DictionaryObject(
            {
                name("/Type"): name("/Annot"),
                name("/Subtype"): name("/Text"),
                name("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in (100, 100, 120, 120)]),
                name("/Contents"): generic.TextStringObject("Số liệu đã sửa"),
            }
        )
    )
    annotations = page.get("/Annots")
    if annotations is None:
        page[name("/Annots")] = generic.ArrayObject([annotation])
    else:
        annotations.get_object().append(annotation)
    writer.update_container(page)
    return _written(writer)
