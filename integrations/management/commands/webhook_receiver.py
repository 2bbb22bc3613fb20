"""A local webhook receiver for the demo and for trying a subscription out: prints each
delivery and whether its signature verifies with the subscription's secret."""

import json
from http.server import BaseHTTPRequestHandler, HTTPServer

from django.core.management.base import BaseCommand

from integrations import webhooks
from integrations.demo_data import DEMO_RECEIVER_URL
from integrations.models import WebhookSubscription


class Command(BaseCommand):
    help = "Receive webhook deliveries on 127.0.0.1 and check their signatures."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8099)
        parser.add_argument("--url", default=DEMO_RECEIVER_URL, help="The subscription's URL.")

    def handle(self, *args, port: int, url: str, **options):
        subscription = WebhookSubscription.objects.filter(url=url).first()
        if subscription is None:
            self.stderr.write(f"No subscription to {url}: signatures cannot be checked.")
        secret = subscription.secret if subscription else ""
        out = self.stdout

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                ok = webhooks.verify(secret, body, self.headers.get("X-KAM-Signature", ""))
                event = json.loads(body or b"{}").get("event", "?")
                out.write(
                    f"{self.headers.get('X-KAM-Delivery')} {event}: signature "
                    f"{'verified' if ok else 'NOT VALID'}"
                )
                self.send_response(200 if ok else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        out.write(f"Listening on http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        try:
            HTTPServer(("127.0.0.1", port), Handler).serve_forever()
        except KeyboardInterrupt:
            pass
