#!/usr/bin/env python3
"""Copy the front-end files installed by `npm ci` into static_vendor/vendor/.

static_vendor/ is one of STATICFILES_DIRS and is never committed: third-party files come from
the npm packages pinned in package.json / package-lock.json, never from a CDN.

Templates reference, for example, {% static 'vendor/tabler/tabler.min.css' %}; the paths below
are that contract. Source maps are copied next to the files that name them, so that
`collectstatic` with a manifest storage finds every file a `sourceMappingURL` points to.

Standard library only; run from anywhere: `python3 scripts/vendor_assets.py`.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
DEST = ROOT / "static_vendor" / "vendor"

# (source under node_modules, destination under static_vendor/vendor, required)
FILES: list[tuple[str, str, bool]] = [
    ("@tabler/core/dist/css/tabler.min.css", "tabler/tabler.min.css", True),
    ("@tabler/core/dist/css/tabler.min.css.map", "tabler/tabler.min.css.map", False),
    ("@tabler/core/dist/js/tabler.min.js", "tabler/tabler.min.js", True),
    ("@tabler/core/dist/js/tabler.min.js.map", "tabler/tabler.min.js.map", False),
    ("@tabler/icons-webfont/dist/tabler-icons.min.css", "tabler-icons/tabler-icons.min.css", True),
    ("@tabler/icons-webfont/dist/fonts/tabler-icons.woff2", "tabler-icons/fonts/tabler-icons.woff2", True),
    ("@tabler/icons-webfont/dist/fonts/tabler-icons.woff", "tabler-icons/fonts/tabler-icons.woff", True),
    ("@tabler/icons-webfont/dist/fonts/tabler-icons.ttf", "tabler-icons/fonts/tabler-icons.ttf", True),
    ("chart.js/dist/chart.umd.min.js", "chartjs/chart.umd.min.js", True),
    ("chart.js/dist/chart.umd.min.js.map", "chartjs/chart.umd.min.js.map", False),
    # Tom Select: the people pickers of staff forms (apps/core/widgets.py, static/js/app.js).
    ("tom-select/dist/js/tom-select.complete.min.js", "tom-select/tom-select.complete.min.js", True),
    ("tom-select/dist/js/tom-select.complete.min.js.map", "tom-select/tom-select.complete.min.js.map", False),
    ("tom-select/dist/css/tom-select.bootstrap5.min.css", "tom-select/tom-select.bootstrap5.min.css", True),
    (
        "tom-select/dist/css/tom-select.bootstrap5.min.css.map",
        "tom-select/tom-select.bootstrap5.min.css.map",
        False,
    ),
    # Swagger UI for /api/docs/ (drf-spectacular's SWAGGER_UI_DIST points here).
    ("swagger-ui-dist/swagger-ui.css", "swagger-ui/swagger-ui.css", True),
    ("swagger-ui-dist/swagger-ui.css.map", "swagger-ui/swagger-ui.css.map", False),
    ("swagger-ui-dist/swagger-ui-bundle.js", "swagger-ui/swagger-ui-bundle.js", True),
    ("swagger-ui-dist/swagger-ui-standalone-preset.js", "swagger-ui/swagger-ui-standalone-preset.js", True),
]


def fail(message: str) -> None:
    print(f"vendor_assets: ERROR: {message}", file=sys.stderr)
    sys.exit(1)


def main() -> int:
    if not NODE_MODULES.is_dir():
        fail(
            f"{NODE_MODULES} does not exist. Install the front-end packages first with "
            "`npm ci --no-audit --no-fund` (or simply `make setup`)."
        )

    missing = [src for src, _, required in FILES if required and not (NODE_MODULES / src).is_file()]
    if missing:
        fail(
            "these files are missing from node_modules (is it out of date? run `npm ci`):\n  "
            + "\n  ".join(missing)
        )

    # Start from an empty folder so that files dropped from the list do not linger.
    if DEST.exists():
        shutil.rmtree(DEST)

    copied = 0
    for src, dst, _required in FILES:
        source = NODE_MODULES / src
        if not source.is_file():
            continue
        target = DEST / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copied += 1

    print(f"vendor_assets: copied {copied} files into {DEST.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
