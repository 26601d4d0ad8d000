"""Which certificate authorities the platform trusts, and where the demo PKI lives."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def demo_pki_dir() -> Path:
    """var/pki/ (or $SIGNING_PKI_DIR): the demo CA and per-signer PKCS#12 files, never committed."""
    configured = os.environ.get("SIGNING_PKI_DIR") or getattr(settings, "SIGNING_PKI_DIR", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "pki"


def trust_roots() -> list[bytes]:
    """PEM bytes of the trusted roots: settings.SIGNING_TRUST_ROOTS (paths) + the demo CA if present."""
    paths = [Path(p) for p in getattr(settings, "SIGNING_TRUST_ROOTS", [])]
    demo = demo_pki_dir() / "ca.pem"
    if getattr(settings, "SIGNING_TRUST_DEMO_CA", True) and demo.exists():
        paths.append(demo)
    return [p.read_bytes() for p in paths if p.exists()]
