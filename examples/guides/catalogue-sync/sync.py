"""Keep a catalogue in sync: python sync.py CATALOGUE.csv STATE_URL [--delete-missing] [--dry-run]

Credentials come from the environment (SELLKIT_MP_CLIENT_ID, SELLKIT_MP_CLIENT_SECRET,
SELLKIT_MP_REFRESH_TOKEN, and SELLKIT_MP_BASE_URL for the simulator)."""

from __future__ import annotations

import sys
from pathlib import Path

from sellkit import marktplaats


def main(argv: list[str]) -> int:
    csv_path, state = argv[0], argv[1]
    catalogue = marktplaats.catalogue_from_csv(Path(csv_path).read_text(encoding="utf-8"))
    with marktplaats.Client() as client:
        result = client.ads.sync(
            catalogue,
            state=state,
            delete_missing="--delete-missing" in argv,
            dry_run="--dry-run" in argv,
        )
    for item in result["items"]:
        error = item.get("error")
        note = f"{error.get('field', '')}: {error['message']}" if error else ""
        print(f"{item['key']:<8} {item['action']:<10} {item.get('itemId') or '-':<8} {note}")
    counts = result["counts"]
    print(" ".join(f"{action}={n}" for action, n in counts.items()))
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
