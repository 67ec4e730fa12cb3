"""sellkit in Python behind a company network, logging to a JSON pipeline.

Reads the credentials from the environment (``SELLKIT_EQP_APP_ID``, ``SELLKIT_EQP_APP_SECRET``,
and ``SELLKIT_EQP_BASE_URL`` for another host than production) and, when they are set,
``COMPANY_PROXY`` and ``COMPANY_CA_BUNDLE`` (this example's own names). Writes one JSON object per
sellkit log record to stdout, then a summary line.

    python examples/guides/networks-and-logging/logging_to_json.py
"""

from __future__ import annotations

import json
import logging
import os
import sys

from sellkit import eqp

# The attributes every LogRecord has; anything else on a record is a field sellkit added
# (method, path, attempt, status, elapsed_ms, code, wait_ms, grant, ttl_s, ...).
STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: logger, level, message and sellkit's fields."""

    def format(self, record: logging.LogRecord) -> str:
        out = {"logger": record.name, "level": record.levelname, "message": record.getMessage()}
        out.update({k: v for k, v in vars(record).items() if k not in STANDARD})
        return json.dumps(out)


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("sellkit")
    root.addHandler(handler)
    root.propagate = False
    # Retries (INFO) from every part of sellkit; each request and answer (DEBUG) from the HTTP
    # layer only. sellkit reads these levels before anything crosses into Python.
    root.setLevel(logging.INFO)
    logging.getLogger("sellkit.http").setLevel(logging.DEBUG)


def main() -> None:
    configure_logging()
    # None (the variable unset) leaves the setting at its default: HTTPS_PROXY / NO_PROXY and
    # the system's proxy; REQUESTS_CA_BUNDLE, else the system's trusted roots.
    client = eqp.Client(proxy=os.environ.get("COMPANY_PROXY"), ca_bundle=os.environ.get("COMPANY_CA_BUNDLE"))
    with client:
        profile = client.users.get()
        packages = list(client.packages.list(limit=5))
    print(json.dumps({"summary": {"mage_id": profile.get("mage_id"), "packages": len(packages)}}))


if __name__ == "__main__":
    main()
