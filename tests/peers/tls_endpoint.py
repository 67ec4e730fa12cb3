"""A TLS endpoint on 127.0.0.1 whose certificate a private CA signed (made by trustme): it
terminates TLS and forwards the bytes to a plain-HTTP target (the simulator), so the tests of
every language can reach the simulator over HTTPS with a certificate no system trusts.

    python tests/peers/tls_endpoint.py --target 127.0.0.1:PORT --dir DIR

writes DIR/ca.pem (the CA's certificate: what `ca_bundle` takes), then prints one JSON line
`{"port": N, "ca": "DIR/ca.pem"}` once listening, and serves until stdin closes or it is killed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import ssl
import sys

import trustme


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", required=True, help="host:port of the plain-HTTP server")
    parser.add_argument("--dir", required=True, help="where to write ca.pem")
    args = parser.parse_args()
    host, port = args.target.rsplit(":", 1)

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    ca_path = os.path.join(args.dir, "ca.pem")
    ca.cert_pem.write_to_path(ca_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)

    async def serve(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            target_reader, target_writer = await asyncio.open_connection(host, int(port))
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, target_writer), pipe(target_reader, client_writer))

    server = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=context)
    listening = server.sockets[0].getsockname()[1]
    print(json.dumps({"port": listening, "ca": ca_path}), flush=True)
    # Serve until the parent closes stdin (or kills this process).
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
