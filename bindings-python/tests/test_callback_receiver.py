"""The example callback receiver gets the simulator's real callback deliveries and refuses
wrong credentials."""

from __future__ import annotations

import http.server
import importlib.util
import pathlib
import queue
import threading
import urllib.error
import urllib.request
from typing import Any, Dict, Iterator

import pytest

from sellkit.testing import Simulator

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python" / "eqp_callback_receiver.py"


def load_example() -> Any:
    spec = importlib.util.spec_from_file_location("eqp_callback_receiver", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def receiver() -> Iterator[tuple[str, "queue.Queue[Dict[str, Any]]"]]:
    events: "queue.Queue[Dict[str, Any]]" = queue.Queue()
    handler = load_example().handler("hook-user", "hook-password", events.put)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/eqp-callback", events
    server.shutdown()


def test_receives_the_scan_callback(receiver: tuple[str, "queue.Queue[Dict[str, Any]]"], tmp_path: pathlib.Path) -> None:
    url, events = receiver
    with Simulator() as sim, sim.eqp_client() as client:
        sim.set_eqp_scan_delay(0.05)
        client.callbacks.register([{"name": "ci", "url": url, "username": "hook-user", "password": "hook-password"}])
        (record,) = client.files.upload([("guide.pdf", b"%PDF-1.4 example")])
        event = events.get(timeout=10)
        assert event["callback_event"] == "malware_scan_complete"
        assert event["update_info"]["file_upload_id"] == record["file_upload_id"]


def test_refuses_wrong_credentials(receiver: tuple[str, "queue.Queue[Dict[str, Any]]"]) -> None:
    url, events = receiver
    request = urllib.request.Request(
        url, data=b'{"callback_event":"x","update_info":{}}', headers={"Authorization": "Basic d3Jvbmc6d3Jvbmc="}
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with pytest.raises(urllib.error.HTTPError) as e:
        opener.open(request, timeout=5)
    assert e.value.code == 401
    assert events.empty()
