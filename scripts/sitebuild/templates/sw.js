// The site's service worker: every page, the search index and the assets offline after one visit,
// and the calculators' engine once a calculator has been opened. The build writes MANIFEST above
// this code from the built site (scripts/sitebuild/offline.py); nothing here names a page.
//
// Online, pages and the other unversioned files come from the network first (a page never shows
// an older policy text than the deployed one while the server answers); the cache answers only
// when the network does not. The engine's files have versioned paths: the cache answers first.
// A new build is a new worker (its MANIFEST.version): it installs, takes over at once, deletes the
// older build's caches and tells the open pages, which show MANIFEST.notice once (offline.js).
//
// Messages in:  {type: "keep", what: "engine" | "extras"}  keep those files (a calculator was
//               opened; a QR code or an export was made); answered {type: "kept", what}
// Messages out: {type: "updated", notice}                   to every page, when a build replaced
//                                                           an older one
"use strict";

const SITE = `fs-site-${MANIFEST.version}`; // this build's pages and assets
const SITE_PREFIX = "fs-site-";
const ENGINE = "fs-engine-files"; // the engine's versioned files, across builds
const scope = self.registration.scope;
const absolute = (path) => new URL(path, scope).href;
const precached = new Set(MANIFEST.precache.map(absolute));
const lists = { engine: MANIFEST.engine.map(absolute), extras: MANIFEST.extras.map(absolute) };
const versioned = new Set([...lists.engine, ...lists.extras]);

function withoutQuery(url) {
  const u = new URL(url);
  u.search = "";
  u.hash = "";
  return u.href;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SITE);
    // Revalidated, not taken from the HTTP cache as it may be: this build's files.
    await cache.addAll([...precached].map((url) => new Request(url, { cache: "no-cache" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const older = (await caches.keys()).filter((name) => name.startsWith(SITE_PREFIX) && name !== SITE);
    for (const name of older) await caches.delete(name);
    const engine = await caches.open(ENGINE);
    for (const request of await engine.keys()) if (!versioned.has(request.url)) await engine.delete(request);
    await self.clients.claim();
    if (!older.length) return; // a first visit: nothing was updated
    for (const client of await self.clients.matchAll({ type: "window" })) {
      client.postMessage({ type: "updated", notice: MANIFEST.notice });
    }
  })());
});

self.addEventListener("message", (event) => {
  const what = event.data?.type === "keep" ? event.data.what : null;
  if (!lists[what]) return;
  event.waitUntil(keep(lists[what]).then(() => event.source?.postMessage({ type: "kept", what })));
});

/** Put the files in the engine cache unless they are there (the HTTP cache usually has them). */
async function keep(urls) {
  const cache = await caches.open(ENGINE);
  for (const url of urls) if (!(await cache.match(url))) await cache.add(url);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(scope)) return;
  if (versioned.has(request.url)) event.respondWith(cacheFirst(event));
  else if (precached.has(withoutQuery(request.url)) || request.mode === "navigate") event.respondWith(networkFirst(request));
});

async function cacheFirst(event) {
  const cache = await caches.open(ENGINE);
  const hit = await cache.match(event.request);
  if (hit) return hit;
  const response = await fetch(event.request);
  // Stored while the page reads it (awaiting the copy would hold the wasm's streaming compile).
  if (response.ok) event.waitUntil(cache.put(event.request, response.clone()));
  return response;
}

async function networkFirst(request) {
  try {
    return await fetch(request);
  } catch (err) {
    const cache = await caches.open(SITE);
    // A calculator's permalink is its page with a query: the page is the same file.
    const hit = (await cache.match(request)) ?? (await cache.match(withoutQuery(request.url)));
    if (hit) return hit;
    // A page this build does not have (or a mistyped address): the site's own 404 page.
    const missing = request.mode === "navigate" ? await cache.match(absolute("404.html")) : undefined;
    if (missing) return missing;
    throw err;
  }
}
