"""Corporate networks: an explicit proxy (proxy.py, a real proxy), a private CA (a TLS endpoint
whose certificate trustme's CA signed), REQUESTS_CA_BUNDLE, and proxies from the environment
that never capture loopback."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator, NamedTuple

import pytest

import sellkit
import sellkit.eqp
from sellkit.testing import Simulator

PEERS = Path(__file__).resolve().parents[2] / "tests" / "peers"


class Proxy(NamedTuple):
    url: str
    log: Path


class TlsEndpoint(NamedTuple):
    base_url: str
    ca: str


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    d = tmp_path_factory.mktemp("proxy")
    port_file, log = d / "port", d / "access.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "proxy", "--hostname", "127.0.0.1", "--port", "0", "--port-file", str(port_file),
         "--num-workers", "1", "--num-acceptors", "1", "--log-file", str(log)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while not (port_file.exists() and port_file.read_text().strip()):
            assert process.poll() is None and time.monotonic() < deadline, "proxy.py did not start"
            time.sleep(0.05)
        yield Proxy(f"http://127.0.0.1:{port_file.read_text().strip()}", log)
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def tls(sim: Simulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsEndpoint]:
    d = tmp_path_factory.mktemp("tls")
    target = sim.url.removeprefix("http://")
    process = subprocess.Popen(
        [sys.executable, str(PEERS / "tls_endpoint.py"), "--target", target, "--dir", str(d)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        ready = json.loads(process.stdout.readline())
        path = sim.eqp_url.removeprefix(sim.url)
        yield TlsEndpoint(f"https://127.0.0.1:{ready['port']}{path}", ready["ca"])
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(10)


def proxied(log: Path, text: str) -> bool:
    """Whether proxy.py's log shows a request containing `text` (it logs each one it served)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text():
            return True
        time.sleep(0.05)
    return False


def test_an_explicit_proxy_carries_every_request_loopback_included(sim: Simulator, proxy: Proxy) -> None:
    with sim.eqp_client(proxy=proxy.url) as client:
        assert client.users.get()["mage_id"] == sim.eqp_mage_id
    # proxy.py logs a connection's first request (the session token, here) when it is served.
    assert proxied(proxy.log, f"POST {sim.url.removeprefix('http://')}/rest/v1/app/session/token")


def test_a_private_ca_is_trusted_through_ca_bundle(sim: Simulator, tls: TlsEndpoint) -> None:
    with sim.eqp_client(base_url=tls.base_url, ca_bundle=tls.ca) as client:
        assert client.users.get()["mage_id"] == sim.eqp_mage_id


def test_https_through_the_proxy_with_the_private_ca(sim: Simulator, tls: TlsEndpoint, proxy: Proxy) -> None:
    async def main() -> None:
        async with sim.eqp_async_client(base_url=tls.base_url, ca_bundle=tls.ca, proxy=proxy.url) as client:
            assert (await client.users.get())["mage_id"] == sim.eqp_mage_id

    asyncio.run(main())
    port = tls.base_url.split(":")[2].split("/")[0]
    assert proxied(proxy.log, f"CONNECT 127.0.0.1:{port}")


def test_an_untrusted_certificate_says_so_and_names_ca_bundle(sim: Simulator, tls: TlsEndpoint) -> None:
    with sim.eqp_client(base_url=tls.base_url, max_retries=0) as client, pytest.raises(sellkit.APIConnectionError) as info:
        client.authenticate()
    err = info.value
    assert err.code == "untrusted-certificate" and type(err) is sellkit.APIConnectionError
    assert "not trusted" in err.message and "ca_bundle" in err.message
    assert not err.outcome_unknown


def test_requests_ca_bundle_is_honoured(sim: Simulator, tls: TlsEndpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", tls.ca)
    with sim.eqp_client(base_url=tls.base_url) as client:
        assert client.users.get()["mage_id"] == sim.eqp_mage_id
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(Path(tls.ca).with_name("missing.pem")))
    with pytest.raises(sellkit.InvalidInputError) as info:
        sim.eqp_client(base_url=tls.base_url)
    assert info.value.field == "ca_bundle" and "REQUESTS_CA_BUNDLE" in info.value.message


def test_environment_proxies_never_capture_loopback(sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy that does not exist: a request sent to it would fail.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with sim.eqp_client(max_retries=0) as client:
        assert client.users.get()["mage_id"] == sim.eqp_mage_id


def test_environment_proxies_apply_to_other_hosts_unless_no_proxy(proxy: Proxy, monkeypatch: pytest.MonkeyPatch) -> None:
    # The proxy resolves the host, not the client: a name that resolves nowhere shows up in the
    # proxy's log as the tunnel asked for, and the call fails there.
    host = "eqp.sellkit-proxy-test.invalid"
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv("https_proxy", proxy.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    client = sellkit.eqp.Client(app_id="APP", app_secret="secret", base_url=f"https://{host}/rest/v1", max_retries=0)
    with client, pytest.raises(sellkit.APIConnectionError):
        client.authenticate()
    assert proxied(proxy.log, f"CONNECT {host}:443")

    other = "mp.sellkit-proxy-test.invalid"
    monkeypatch.setenv("NO_PROXY", other)
    monkeypatch.setenv("no_proxy", other)
    client = sellkit.eqp.Client(app_id="APP", app_secret="secret", base_url=f"https://{other}/rest/v1", max_retries=0)
    with client, pytest.raises(sellkit.APIConnectionError):
        client.authenticate()
    assert not proxied(proxy.log, f"CONNECT {other}")


@pytest.mark.parametrize(
    ("setting", "value", "words"),
    [
        ("proxy", "ftp://127.0.0.1:21", "http://, https:// or socks5://"),
        ("proxy", "not a url", "not a URL"),
        ("ca_bundle", "/nonexistent/ca.pem", "cannot read"),
    ],
)
def test_bad_network_settings_name_their_field(sim: Simulator, setting: str, value: str, words: str) -> None:
    with pytest.raises(sellkit.InvalidInputError) as info:
        sim.eqp_client(**{setting: value})
    assert info.value.field == setting and words in info.value.message
