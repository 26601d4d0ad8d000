"""Portal media: Wagtail's document and image forms run core file intake's checks (size, type
from content, zip-bomb guard, ClamAV) before Wagtail stores the file itself.

Wagtail keeps its own files (documents/, original_images/), so nothing is stored through intake
here: `inspect_upload()` checks the upload and a refusal becomes the form's error on the file.
Wired in settings: WAGTAILDOCS_DOCUMENT_FORM_BASE and WAGTAILIMAGES_IMAGE_FORM_BASE.
"""

from django import forms
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from apps.core.files.intake import (
    DOCX,
    JPEG,
    MB,
    ODS,
    ODT,
    PDF,
    PNG,
    PPTX,
    XLSX,
    UploadRejected,
    inspect_upload,
    register_purpose,
)

DOCUMENT_PURPOSE = "portal_document"
IMAGE_PURPOSE = "portal_image"
register_purpose(DOCUMENT_PURPOSE, {PDF, DOCX, XLSX, PPTX, ODT, ODS, PNG, JPEG}, 20 * MB)
register_purpose(IMAGE_PURPOSE, {PNG, JPEG, "image/gif", "image/webp"}, 10 * MB)


class _IntakeChecked:
    purpose = ""

    def __init__(self, *args, **kwargs):
        self.uploader = kwargs.get("user")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        upload = self.files.get(self.add_prefix("file")) if self.files else None
        if upload is None:  # an edit that keeps the stored file
            return cleaned
        try:
            inspect_upload(upload, purpose=self.purpose, user=self.uploader)
        except UploadRejected as exc:
            # Intake's verdict (in Vietnamese) replaces Wagtail's own, e.g. its English
            # "Not a supported image format", which comes first for a picture that is none.
            self.errors.pop("file", None)
            self.add_error("file", forms.ValidationError(exc.message, code=exc.code))
        return cleaned


class DocumentForm(_IntakeChecked, BaseDocumentForm):
    purpose = DOCUMENT_PURPOSE


class ImageForm(_IntakeChecked, BaseImageForm):
    purpose = IMAGE_PURPOSE
