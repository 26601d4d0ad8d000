"""Write the demo certificate authority and per-signer PKCS#12 keys under var/pki/ (demo only)."""

from django.core.management.base import BaseCommand

from apps.core.signing import demo_pki_dir
from apps.core.signing.pki import write_demo_pki
from apps.documents.demo import DEMO_KEY_PASSWORD, pki_signers


class Command(BaseCommand):
    help = "Create the demo CA (ca.pem) and encrypted PKCS#12 keys for the demo signers (never commit them)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_KEY_PASSWORD, help="password of the PKCS#12 files")

    def handle(self, *args, **options):
        paths = write_demo_pki(demo_pki_dir(), pki_signers(), options["password"])
        created = paths.pop("created")
        for name, path in paths.items():
            self.stdout.write(f"{name}: {path}")
        self.stdout.write(self.style.SUCCESS(f"{created} file(s) created in {demo_pki_dir()}"))
