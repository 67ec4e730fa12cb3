"""A minimal receiver of EQP callbacks: checks the Basic credentials, prints each event.

    python examples/python/eqp_callback_receiver.py --port 8080 --username hook-user --password '...'

Register its URL with ``client.callbacks.register([{"url": ..., "username": ..., "password": ...}])``.
In production the URL must be HTTPS: put this behind your TLS-terminating server, answer quickly,
and re-fetch the file or package by id before acting (callback payloads are not signed).
"""

from __future__ import annotations

import argparse
import http.server
import json
from typing import Any, Callable, Dict

import sellkit
from sellkit.eqp import parse_callback


def handler(username: str, password: str, on_event: Callable[[Dict[str, Any]], None]) -> type:
    """A request handler class that verifies and parses each POST and hands the event over."""

    class CallbackHandler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                event = parse_callback(body, dict(self.headers.items()), username=username, password=password)
            except sellkit.AuthenticationError:
                status = 401
            except sellkit.SellkitError:
                status = 400
            else:
                status = 200
                on_event(dict(event))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # keep stdout for events
            pass

    return CallbackHandler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    args = parser.parse_args()

    def show(event: Dict[str, Any]) -> None:
        print(event["callback_event"], json.dumps(event.get("update_info", {})), flush=True)

    server = http.server.ThreadingHTTPServer((args.host, args.port), handler(args.username, args.password, show))
    print(f"listening on http://{args.host}:{server.server_address[1]}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
