"""Online submissions through the API, shared by the submission benchmark and the fault script.

`prepare()` (Django set up, database reachable) creates an integration client for the demo desk
and picks a published online procedure without a fee that takes two documents; `payload()` builds
one submission with an idempotency key; `post()` sends it and never raises;
`stored_as_acknowledged()` checks afterwards that every acknowledged one is stored whole.
"""

from __future__ import annotations

import http.client
import json
import time
import uuid
from dataclasses import dataclass, field

FORM_SAMPLES = {
    "text": "Nguyễn Văn Bench",
    "textarea": "Đề nghị giải quyết hồ sơ (bench).",
    "phone": "0912345678",
    "email": "bench@example.vn",
    "number": 1,
    "integer": 1,
    "decimal": "1",
    "date": "2026-01-15",
    "checkbox": True,
    "boolean": True,
}


@dataclass
class Submissions:
    token: str
    version_id: int
    codes: list[str]
    form: dict
    files: list[str] = field(default_factory=list)  # base64 bodies, one per document code

    def payload(self, key: str | None = None, documents: list[dict] | None = None, **applicant) -> dict:
        return {
            "procedure_version_id": self.version_id,
            "idempotency_key": key or uuid.uuid4().hex,
            "applicant_name": applicant.get("name", "Nguyễn Văn Bench"),
            "applicant_phone": applicant.get("phone", "0912345678"),
            "applicant_email": applicant.get("email", "bench@example.vn"),
            "form": self.form,
            "documents": documents
            or [
                {"code": code, "filename": f"tep-{n}.pdf", "content_base64": self.files[n]}
                for n, code in enumerate(self.codes)
            ],
        }


def form_values(fields: list[dict]) -> dict:
    values = {}
    for spec in fields:
        kind = spec.get("type", "text")
        if spec.get("choices"):
            first = spec["choices"][0]
            if isinstance(first, dict):
                first = first.get("value")
            elif isinstance(first, list | tuple):
                first = first[0]
            values[spec["name"]] = first
        else:
            values[spec["name"]] = FORM_SAMPLES.get(kind, "1")
    return values


def prepare(files: list[bytes], desk_code: str = "skhcn-vp") -> Submissions:
    import base64

    from apps.accounts.models import ApiClient
    from apps.organizations.models import Organization
    from apps.procedures.models import ProcedureVersion

    desk = Organization.objects.get(code=desk_code)
    raw, prefix, digest = ApiClient.new_token()
    ApiClient.objects.create(
        name=f"bench submit {uuid.uuid4().hex[:6]}",
        organization=desk,
        scopes=["dossiers:write"],
        token_prefix=prefix,
        token_hash=digest,
    )
    version = next(
        v
        for v in ProcedureVersion.objects.filter(
            status="published", competent_unit__path__startswith=desk.parent.path
        ).order_by("pk")
        if "online" in (v.channels or [])
        and sum(1 for d in v.documents if d.get("required")) <= 2
        and (v.fee or {}).get("kind") in (None, "none")
        and len(v.documents) >= 2
    )
    required = [d["code"] for d in version.documents if d.get("required")]
    codes = (required + [d["code"] for d in version.documents if d["code"] not in required])[: len(files)]
    return Submissions(
        token=raw,
        version_id=version.pk,
        codes=codes,
        form=form_values(version.form_fields),
        files=[base64.b64encode(f).decode() for f in files],
    )


def post(port: int, token: str, payload: dict, host: str = "127.0.0.1") -> tuple[int, float, str]:
    """(status, milliseconds, body); status 0 when the connection itself failed."""
    body = json.dumps(payload).encode()
    start = time.perf_counter()
    conn = http.client.HTTPConnection(host, port, timeout=120)
    try:
        conn.request(
            "POST",
            "/api/v1/dossiers/submit/",
            body=body,
            headers={
                "Host": "localhost",
                "Content-Type": "application/json",
                "Authorization": f"Token {token}",
            },
        )
        response = conn.getresponse()
        return response.status, (time.perf_counter() - start) * 1000, response.read().decode(errors="replace")
    except OSError as exc:
        return 0, (time.perf_counter() - start) * 1000, str(exc)
    finally:
        conn.close()


def stored_as_acknowledged(acknowledged: dict[str, str]) -> dict:
    """Compare what the clients were told with what the database and the file store hold."""
    from django.db import connections

    from apps.dossiers.models import Dossier, DossierDocument

    connections.close_all()  # this process's connection did not survive the restart either
    ours = Dossier.objects.filter(idempotency_key__in=list(acknowledged))
    stored = dict(ours.values_list("idempotency_key", "code"))
    documents = DossierDocument.objects.filter(dossier__in=ours, file__isnull=False).select_related("file")
    missing_files = [d.pk for d in documents if not d.file.file.storage.exists(d.file.file.name)]
    without_history = ours.filter(history__isnull=True).count()
    return {
        "acknowledged": len(acknowledged),
        "stored": len(stored),
        "codes_match": stored == acknowledged,
        "attachments_stored": documents.count(),
        "attachments_missing_on_disk": len(missing_files),
        "dossiers_without_history": without_history,
        "ok": stored == acknowledged
        and documents.count() == 2 * len(acknowledged)
        and not missing_files
        and not without_history,
    }
