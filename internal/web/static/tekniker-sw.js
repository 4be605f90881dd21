// The technician view's service worker (the Go handler is serviceWorker).
// The Go app serves it at /tekniker/sw.js, so its scope is /tekniker/ and
// it never sees the office's or the customers' pages. It keeps the pages
// a technician opened readable without a connection, and the few static
// files those pages need. It never stores a POST or its answer, nor
// anything from outside /tekniker and /static.

// VERSION names the cache; a new one (change it with the list of assets)
// makes activate delete the old cache.
const VERSION = "kp-tekniker-v1";
const ASSETS = [
  "/static/style.css",
  "/static/tekniker.css",
  "/static/tekniker.js",
  "/static/vendor/signature_pad/signature_pad.umd.min.js",
];

const OFFLINE = `<!doctype html>
<html lang="sv"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ingen anslutning – Kundportal</title>
<link rel="stylesheet" href="/static/style.css"></head>
<body><main id="main" class="wrap"><h1>Ingen anslutning</h1>
<p data-testid="offline-page">Ingen anslutning. Sidan finns inte sparad på telefonen ännu.</p>
<p><a href="/tekniker">Mina arbetsorder</a></p></main></body></html>`;

// ours tells the technician's pages, which are kept for offline use.
const ours = (url) => url.origin === location.origin && (url.pathname === "/tekniker" || url.pathname.startsWith("/tekniker/"));

self.addEventListener("install", (e) => {
  e.waitUntil(caches.open(VERSION).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});

// On activate, old caches go, and the pages already open are fetched into
// the cache: the page that registered this worker loaded before it, and
// would else be missing offline until opened again.
self.addEventListener("activate", (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith("kp-tekniker-") && k !== VERSION).map((k) => caches.delete(k))))
    .then(() => self.clients.claim())
    .then(() => self.clients.matchAll({ type: "window" }))
    .then((open) => Promise.all(open.filter((c) => ours(new URL(c.url))).map((c) =>
      fetch(c.url, { credentials: "same-origin", redirect: "manual" }).then(keep).catch(() => {})))));
});

self.addEventListener("fetch", (e) => {
  const req = e.request;
  const url = new URL(req.url);
  if (url.origin !== location.origin) return;
  if (req.method === "POST" && url.pathname.startsWith("/tekniker/")) {
    e.respondWith(send(req));
    return;
  }
  if (req.method !== "GET") return;
  if (ASSETS.includes(url.pathname) && !url.search) {
    e.respondWith(cacheFirst(e));
  } else if (req.mode === "navigate" && ours(url)) {
    e.respondWith(networkFirst(req));
  }
  // Anything else goes to the network untouched.
});

// send passes a form on, never keeping it or its answer. Once the server
// has answered, the form's one-time client_id is spent, so the cached copy
// of the page it came from must not offer it again offline; until then (no
// connection, a lost answer) the copy stays, and sending it again is the
// no-op the server makes of a form it has seen.
async function send(req) {
  const res = await fetch(req);
  if (req.referrer) await caches.open(VERSION).then((c) => c.delete(req.referrer));
  return res;
}

// cacheFirst answers from the cache, and refreshes the copy in the
// background, so that a new release reaches the phone on the next load.
async function cacheFirst(e) {
  const cache = await caches.open(VERSION);
  const fresh = fetch(e.request).then(async (res) => {
    if (res.ok) await cache.put(e.request, res.clone());
    return res;
  });
  const hit = await cache.match(e.request);
  if (!hit) return fresh;
  e.waitUntil(fresh.catch(() => {}));
  return hit;
}

// networkFirst shows the page as it is now, and the last copy when there is
// no connection.
async function networkFirst(req) {
  try {
    return await keep(await fetch(req));
  } catch {
    return (await caches.match(req, { cacheName: VERSION, ignoreVary: true })) || new Response(OFFLINE, {
      status: 503,
      headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": "default-src 'self'" },
    });
  }
}

// keep stores a page's answer under its address, and returns it. Only a
// plain 200 is kept: a redirect (to the login page, say) or an error page
// is not the page asked for.
async function keep(res) {
  if (res.status === 200 && res.type === "basic" && !res.redirected) {
    await caches.open(VERSION).then((c) => c.put(res.url, res.clone()));
  }
  return res;
}
