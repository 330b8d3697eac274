"""InvenTree's login client, django-allauth 65.18.0 (InvenTree 1.5.0's pin), on loopback for ssoctl's
e2e/clientlibs tests.

Environment: ISSUER, CLIENT_ID, CLIENT_SECRET, HARNESS_DB (a SQLite file to create). It migrates the
database, listens on 127.0.0.1 (a free port) and prints "READY=<url>" once it accepts connections.
GET /start?login_hint=U begins the login as InvenTree's frontend does (the headless "provider
redirect"), GET /done reports how it ended (JSON). See harness/settings.py for InvenTree's settings.
"""
import os
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harness.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def main():
    call_command("migrate", verbosity=0)
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=QuietHandler)
    print(f"READY=http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
