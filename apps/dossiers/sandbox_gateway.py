"""A local payment-gateway sandbox: a small WSGI app run as its own process (standard library only).

    python manage.py run_payment_sandbox --port 8765
    python -m apps.dossiers.sandbox_gateway --port 8765   (no Django needed)

GET  /pay?…signed request…      checks the merchant's signature, shows a page with Pay / Cancel
POST /pay/confirm               records the transaction, POSTs a signed callback to callback_url
                                (server to server), then redirects the browser to return_url
GET  /transactions?date=…       the day's transactions, signed (for reconciliation)
GET  /pay/confirm               (a reload) the payment page again when signed, else a message
"""

from __future__ import annotations

import argparse
import html
import json
import secrets
import threading
import time
import urllib.parse
import urllib.request
from wsgiref.simple_server import WSGIRequestHandler, make_server

from .hmac_signing import CALLBACK, REQUEST, STATEMENT, sign, verify

# Public, for the demo only: config/settings/base.py uses the same value, production refuses it.
DEFAULT_SECRET = "demo-sandbox-secret-not-for-production"  # noqa: S105 - sandbox only


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class Sandbox:
    def __init__(self, secret: str = DEFAULT_SECRET):
        self.secret = secret
        self.transactions: list[dict] = []
        self.callback_log: list[tuple[int, str]] = []
        self._lock = threading.Lock()

    # -- WSGI entry
    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        query = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", "")))
        if method == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            query.update(urllib.parse.parse_qsl(environ["wsgi.input"].read(size).decode()))
        if path == "/pay" and method == "GET":
            return self._pay_page(query, start_response)
        if path == "/pay/confirm" and method == "POST":
            return self._confirm(query, start_response)
        if path == "/pay/confirm":
            # The confirmation address opened or reloaded: the signed request, when it is there,
            # shows the payment page again; never a bare error.
            if query.get("signature"):
                return self._pay_page(query, start_response)
            return self._message(
                start_response,
                "405 Method Not Allowed",
                "Địa chỉ này chỉ nhận lệnh xác nhận thanh toán. Hãy quay lại trang hồ sơ và bấm "
                "“Nộp phí, lệ phí trực tuyến” để tiếp tục giao dịch đang chờ.",
                [("Allow", "POST")],
            )
        if path == "/transactions":
            return self._transactions(query, start_response)
        return self._message(
            start_response, "404 Not Found", "Không tìm thấy trang này trên cổng thanh toán."
        )

    def _message(self, start_response, status, text, headers=()):
        page = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Cổng thanh toán thử nghiệm</title></head>
<body><main><h1>Cổng thanh toán thử nghiệm (sandbox)</h1>
<p id="message">{html.escape(text)}</p></main></body></html>"""
        start_response(status, [("Content-Type", "text/html; charset=utf-8"), *headers])
        return [page.encode()]

    def _pay_page(self, q, start_response):
        if not verify(self.secret, q, direction=REQUEST):
            start_response("403 Forbidden", [("Content-Type", "text/plain; charset=utf-8")])
            return ["Chữ ký yêu cầu thanh toán không hợp lệ.".encode()]
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in q.items()
        )
        page = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Cổng thanh toán thử nghiệm</title></head>
<body><main><h1>Cổng thanh toán thử nghiệm (sandbox)</h1>
<p>Mã giao dịch: <strong>{html.escape(q["reference"])}</strong></p>
<p>Số tiền: <strong id="amount">{html.escape(q["amount"])}</strong> đồng</p>
<form method="post" action="/pay/confirm">{hidden}
<button type="submit" name="outcome" value="paid" id="sandbox-pay">Thanh toán</button>
<button type="submit" name="outcome" value="failed" id="sandbox-cancel">Hủy</button></form>
</main></body></html>"""
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [page.encode()]

    def _confirm(self, q, start_response):
        outcome = q.pop("outcome", "failed")
        if not verify(self.secret, q, direction=REQUEST):
            start_response("403 Forbidden", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"bad signature"]
        txn = {
            "reference": q["reference"],
            "amount": q["amount"],
            "status": "paid" if outcome == "paid" else "failed",
            "transaction": f"SBX{secrets.token_hex(5).upper()}",
            "date": time.strftime("%Y-%m-%d"),
        }
        with self._lock:
            self.transactions.append(txn)
        callback = {k: txn[k] for k in ("reference", "amount", "status", "transaction")}
        callback.update(timestamp=str(int(time.time())), nonce=secrets.token_hex(12))
        callback["signature"] = sign(self.secret, callback, direction=CALLBACK)
        self.post_callback(q["callback_url"], callback)
        start_response("302 Found", [("Location", q["return_url"])])
        return [b""]

    def post_callback(self, url: str, fields: dict) -> None:
        data = urllib.parse.urlencode(fields).encode()
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as response:  # noqa: S310
                self.callback_log.append((response.status, url))
        except Exception as exc:  # noqa: BLE001 - the merchant may be down; reconciliation catches it
            self.callback_log.append((getattr(exc, "code", 0), url))

    def _transactions(self, q, start_response):
        if not verify(self.secret, q, direction=REQUEST):
            start_response("403 Forbidden", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"bad signature"]
        data = json.dumps([t for t in self.transactions if t["date"] == q.get("date")])
        body = json.dumps({"data": data, "signature": sign(self.secret, {"data": data}, direction=STATEMENT)})
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body.encode()]


def serve(port: int, secret: str = DEFAULT_SECRET, host: str = "127.0.0.1"):
    """Start the sandbox; returns (server, app). Call server.serve_forever() or run it in a thread."""
    app = Sandbox(secret)
    server = make_server(host, port, app, handler_class=_Quiet)
    return server, app


def main(argv=None):
    parser = argparse.ArgumentParser(description="Local payment-gateway sandbox")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--secret", default=DEFAULT_SECRET)
    args = parser.parse_args(argv)
    server, _app = serve(args.port, args.secret)
    print(f"Payment sandbox on http://127.0.0.1:{args.port}/")  # noqa: T201
    server.serve_forever()


if __name__ == "__main__":
    main()
