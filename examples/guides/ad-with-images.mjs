// Place an ad with images on Marktplaats, 2dehands or 2ememain, and wait until they show.
//
//   npm install sellkit
//   export SELLKIT_MP_PLATFORM=2dehands SELLKIT_MP_CLIENT_ID=... SELLKIT_MP_CLIENT_SECRET=...
//   export SELLKIT_MP_REFRESH_TOKEN=...   # from the OAuth guide; rotated ones go to TOKEN_FILE
//   node ad-with-images.mjs

import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { MarktplaatsClient, ValidationError } from 'sellkit';

export const AD = {
  categoryId: 35, // a leaf (L2) category: client.categories.list() shows the tree
  title: 'Sony CD player, as new',
  description: 'Portable CD player with its case and headphones. Collect in Amsterdam or shipped.',
  priceModel: { modelType: 'fixed', askingPrice: 2500 }, // integer euro cents: 25.00
  location: { postcode: '1097DN' },
};
export const IMAGES = ['https://example.com/photos/cd-player-front.jpg', 'https://example.com/photos/cd-player-case.jpg'];

/** Create the ad, add its images by URL, wait until the platform has fetched every one
 * (`timeout` in milliseconds, as every duration in the Node package). */
export async function placeAdWithImages(client, ad, imageUrls, { timeout = 60_000 } = {}) {
  const created = await client.ads.create(ad);
  // The platform downloads the images itself: `add` returns placeholders at once.
  const added = await client.images.add(created.itemId, imageUrls);
  const placeholders = added._embedded['mp:advertisement-image'];
  await Promise.all(placeholders.map((image) => client.images.waitUntilAvailable(image.mediaId, { timeout })));
  return { ad: await client.ads.get(created.itemId), images: await client.images.list(created.itemId) };
}

// The platform may rotate the refresh token on a refresh: keep the new one, privately.
function saveRotatedToken(tokens) {
  if (process.env.TOKEN_FILE) writeFileSync(process.env.TOKEN_FILE, tokens.refresh_token, { mode: 0o600 });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const client = new MarktplaatsClient({ onToken: saveRotatedToken }); // SELLKIT_MP_* variables
  try {
    const { ad, images } = await placeAdWithImages(client, AD, IMAGES, { timeout: 1000 * Number(process.env.IMAGE_TIMEOUT ?? 60) });
    console.log(`placed ${ad.itemId} '${ad.title}' at ${ad.priceModel.askingPrice} cents with ${images._embedded['mp:advertisement-image'].length} images`);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    // The platform refused the ad: each detail names a field (title too short, no such category...).
    for (const d of err.details) console.error(`refused: ${d.field}: ${d.message}`);
    process.exitCode = 1;
  }
}
