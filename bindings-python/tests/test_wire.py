"""What goes on the wire, seen by a scripted peer: the User-Agent names Python, and calls carry
the session token."""

from __future__ import annotations

import json
import platform
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, Iterator, List

import pytest

import sellkit
from sellkit.eqp import Client


class Recorder(BaseHTTPRequestHandler):
    seen: List[Dict[str, str]] = []

    def _answer(self, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.seen.append({"line": self.requestline, **{k.lower(): v for k, v in self.headers.items()}})
        self._answer({"mage_id": "MAG000", "ust": "peer-token", "expires_in": 3600})

    def do_GET(self) -> None:  # noqa: N802
        self.seen.append({"line": self.requestline, **{k.lower(): v for k, v in self.headers.items()}})
        self._answer({"mage_id": "MAG000"})

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def peer() -> Iterator[str]:
    Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_user_agent_and_authorization(peer: str) -> None:
    client = Client(app_id="APPID", app_secret="app-secret", base_url=peer, user_agent_suffix="my-bot/1.2")
    assert client.users.get()["mage_id"] == "MAG000"
    token_call, profile_call = Recorder.seen
    assert token_call["line"].startswith("POST /rest/v1/app/session/token")
    assert profile_call["line"].startswith("GET /rest/v1/users/MAG000")
    major, minor, _ = platform.python_version_tuple()
    expected = f"sellkit/{sellkit.__version__} (python {major}.{minor}; "
    for call in (token_call, profile_call):
        assert call["user-agent"].startswith(expected), call["user-agent"]
        assert call["user-agent"].endswith(") my-bot/1.2")
    assert token_call["authorization"].startswith("Basic ")
    assert profile_call["authorization"] == "Bearer peer-token"
