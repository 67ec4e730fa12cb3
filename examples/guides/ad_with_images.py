"""Place an ad with images on Marktplaats, 2dehands or 2ememain, and wait until they show.

    pip install sellkit
    export SELLKIT_MP_PLATFORM=2dehands SELLKIT_MP_CLIENT_ID=... SELLKIT_MP_CLIENT_SECRET=...
    export SELLKIT_MP_REFRESH_TOKEN=...   # from the OAuth guide; rotated ones go to TOKEN_FILE
    python ad_with_images.py
"""

from __future__ import annotations

import os
import sys
from typing import Any, Dict, List, Sequence

import sellkit
from sellkit import marktplaats
from sellkit.marktplaats.types import TokenSet

AD: Dict[str, Any] = {
    "categoryId": 35,  # a leaf (L2) category: client.categories.list() shows the tree
    "title": "Sony CD player, as new",
    "description": "Portable CD player with its case and headphones. Collect in Amsterdam or shipped.",
    "priceModel": {"modelType": "fixed", "askingPrice": 2500},  # integer euro cents: 25.00
    "location": {"postcode": "1097DN"},
}
IMAGES = ["https://example.com/photos/cd-player-front.jpg", "https://example.com/photos/cd-player-case.jpg"]


def place_ad_with_images(client: marktplaats.Client, ad: Dict[str, Any], image_urls: Sequence[str],
                         *, timeout: float = 60.0) -> Dict[str, Any]:
    """Create the ad, add its images by URL, wait until the platform has fetched every one."""
    created = client.ads.create(ad)
    item_id = created["itemId"]
    # The platform downloads the images itself: `add` returns placeholders at once.
    added = client.images.add(item_id, list(image_urls))
    placeholders: List[Dict[str, Any]] = added["_embedded"]["mp:advertisement-image"]
    for image in placeholders:
        client.images.wait_until_available(image["mediaId"], timeout=timeout)
    return {"ad": client.ads.get(item_id), "images": client.images.list(item_id)}


def save_rotated_token(tokens: TokenSet) -> None:
    """The platform may rotate the refresh token on a refresh: keep the new one, privately."""
    path = os.environ.get("TOKEN_FILE")
    if path:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(tokens["refresh_token"])


def main() -> int:
    try:
        with marktplaats.Client(on_token=save_rotated_token) as client:  # SELLKIT_MP_* variables
            placed = place_ad_with_images(client, AD, IMAGES, timeout=float(os.environ.get("IMAGE_TIMEOUT", "60")))
    except sellkit.ValidationError as err:
        # The platform refused the ad: each detail names a field (title too short, no such category...).
        for d in err.details:
            print(f"refused: {d['field']}: {d['message']}", file=sys.stderr)
        return 1
    ad, images = placed["ad"], placed["images"]
    print(f"placed {ad['itemId']} {ad['title']!r} at {ad['priceModel']['askingPrice']} cents "
          f"with {len(images['_embedded']['mp:advertisement-image'])} images")
    return 0


if __name__ == "__main__":
    sys.exit(main())
