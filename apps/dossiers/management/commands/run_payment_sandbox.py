from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from apps.dossiers.payments import sandbox_secret
from apps.dossiers.sandbox_gateway import serve


class Command(BaseCommand):
    help = "Run the local payment-gateway sandbox (HMAC-signed requests and callbacks)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, port, host, **options):
        # The sandbox pays any fee at a click: production settings switch it off for good.
        if not getattr(settings, "PAYMENT_SANDBOX_ENABLED", False):
            raise CommandError(_("The payment sandbox is switched off in these settings (production)."))
        server, _app = serve(port, sandbox_secret(), host=host)
        self.stdout.write(f"Payment sandbox on http://{host}:{port}/ (Ctrl+C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            server.server_close()
