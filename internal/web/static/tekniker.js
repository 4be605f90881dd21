// The technician's pages: a signature pad, and forms that wait in the phone
// while there is no connection. The pages work without this script (a photo
// of a signed paper, forms posted as usual). Load it with defer, after
// vendor/signature_pad/signature_pad.umd.min.js.
(() => {
  "use strict";
  const SW = "/tekniker/sw.js";
  const pads = document.querySelectorAll("canvas[data-signature-pad]");
  // A pad cannot draw without the library: then the paper fallback stays.
  if (!pads.length || window.SignaturePad) document.documentElement.classList.add("js");

  // --- Signature pad ----------------------------------------------------
  // docs.ParseSignature reads {"width", "height", "strokes": [[[x, y], ...]]}
  // in CSS pixels. The library's points are CSS pixels too, as long as the
  // context, not the points, is scaled for devicePixelRatio.
  const round = (v) => Math.round(v * 10) / 10; // finer than a finger
  if (window.SignaturePad) for (const canvas of pads) {
    const form = canvas.closest("form");
    if (!form) continue;
    const pad = new window.SignaturePad(canvas, { penColor: "#1b2530" });
    const input = form.querySelector("input[name=signature]");
    let error = form.querySelector("[data-signature-error]");
    if (!error) {
      error = document.createElement("p");
      error.className = "field-error";
      error.setAttribute("data-signature-error", "");
      canvas.before(error);
    }
    error.setAttribute("role", "alert");
    let w = 0, h = 0;
    // Sizing a canvas wipes it: redraw from the points, scaled to the new
    // size. Skip a zero size (a closed <details>) and a resize that left
    // the pad as it was (a phone's address bar sliding away).
    const fit = () => {
      const nw = canvas.offsetWidth, nh = canvas.offsetHeight;
      if (!nw || !nh || (nw === w && nh === h)) return;
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      const data = pad.toData();
      if (w) for (const g of data) for (const p of g.points) { p.x *= nw / w; p.y *= nh / h; }
      canvas.width = nw * ratio;
      canvas.height = nh * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      pad.fromData(data);
      w = nw; h = nh;
    };
    // tekniker.css fixes the pad's CSS size, so a new bitmap cannot
    // resize it again; the observer also sees a <details> open.
    new ResizeObserver(fit).observe(canvas);
    const clear = () => { pad.clear(); if (input) input.value = ""; error.textContent = ""; };
    form.querySelector("[data-signature-clear]")?.addEventListener("click", clear);
    form.addEventListener("reset", clear);
    pad.addEventListener("beginStroke", () => { error.textContent = ""; });
    form.addEventListener("submit", (e) => {
      const strokes = pad.toData().map((g) => g.points.map((p) => [round(p.x), round(p.y)])).filter((s) => s.length);
      if (input) input.value = strokes.length ? JSON.stringify({ width: w, height: h, strokes }) : "";
      const paper = form.querySelector("input[type=file][name=paper]")?.files.length;
      // No outcome field: the form is for signing. Else "signed" signs.
      const chosen = form.querySelector("select[name=outcome], input[name=outcome][type=hidden], input[name=outcome]:checked");
      const needed = !form.querySelector("[name=outcome]") || chosen?.value === "signed";
      if (!strokes.length && !paper && needed) {
        e.preventDefault();
        error.textContent = "Be kunden skriva sin namnteckning i rutan, eller välj att kunden inte kunde skriva under.";
        error.scrollIntoView({ block: "center" });
      }
    });
  }

  // --- Offline queue ----------------------------------------------------
  // A form[data-offline] sent while the server cannot be reached is kept
  // in IndexedDB and sent later, in order. When it can, the browser posts
  // the form itself, so the server's redirect and flash work as without
  // JavaScript. An entry keeps the form's client_id: the server makes a
  // form it has seen a no-op, so replaying one whose answer was lost is
  // harmless.
  let banner = document.querySelector("[data-offline-status]");
  if (!banner && document.querySelector("main")) {
    banner = document.createElement("div");
    banner.setAttribute("data-offline-status", "");
    document.querySelector("main").prepend(banner);
  }
  banner?.setAttribute("role", "status");
  banner?.setAttribute("aria-live", "polite");

  let opened;
  const store = (mode, fn) => (opened ||= new Promise((ok, fail) => {
    const r = indexedDB.open("kundportal-tekniker", 1);
    r.onupgradeneeded = () => r.result.createObjectStore("queue", { keyPath: "id", autoIncrement: true });
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  })).then((db) => new Promise((ok, fail) => {
    const t = db.transaction("queue", mode);
    const req = fn(t.objectStore("queue"));
    t.oncomplete = () => ok(req.result);
    t.onerror = t.onabort = () => fail(t.error);
  }));
  const entries = () => store("readonly", (s) => s.getAll()); // in key order: as sent
  const save = (e) => store("readwrite", (s) => s.put(e));
  const drop = (id) => store("readwrite", (s) => s.delete(id));

  // newID makes a client_id as the server does: 32 random bytes, base64url.
  const newID = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

  const say = (list, note) => {
    if (!banner) return;
    banner.replaceChildren();
    const line = (text) => banner.appendChild(document.createElement("p")).append(text);
    const n = list.filter((e) => !e.failed).length;
    if (n) line(n === 1 ? "1 ändring väntar på att skickas" : n + " ändringar väntar på att skickas");
    if (note) line(note);
    const failed = list.filter((e) => e.failed);
    const ul = failed.length ? banner.appendChild(document.createElement("ul")) : null;
    for (const e of failed) {
      const li = ul.appendChild(document.createElement("li"));
      li.setAttribute("data-testid", "offline-failed");
      li.append(e.label + " – " + e.failed + " ");
      const b = li.appendChild(document.createElement("button"));
      b.type = "button";
      b.className = "secondary";
      b.textContent = "Ta bort";
      b.addEventListener("click", () => drop(e.id).then(entries).then(say));
    }
  };

  // body encodes an entry as the browser would have sent its form.
  const body = (e) => {
    if (e.enctype !== "multipart/form-data") {
      return new URLSearchParams(e.fields.map(([k, v]) => [k, typeof v === "string" ? v : v.name]));
    }
    const fd = new FormData();
    for (const [k, v] of e.fields) fd.append(k, v);
    return fd;
  };

  let replaying = false, again = false, retry = 0;
  const replay = async () => {
    if (replaying) { again = true; return; } // a change queued meanwhile
    replaying = true;
    again = false;
    let note = "", sent = 0, list;
    try {
      for (const e of await entries()) {
        if (e.failed) continue;
        if (navigator.onLine === false) break;
        let res;
        try {
          res = await fetch(e.action, { method: e.method, body: body(e), credentials: "same-origin", redirect: "follow" });
        } catch {
          break; // no connection: keep this and those after it, in order
        }
        if (res.status >= 500) break; // the server's trouble: try later
        // A lapsed session ends on the login page, with 200 and the
        // change not made.
        if (res.redirected && new URL(res.url).pathname === "/logga-in") {
          note = "Logga in igen, så skickas ändringarna.";
          break;
        }
        if (res.status >= 400) {
          e.failed = "Kunde inte skicka: " + res.status; // kept for the person to see
          await save(e);
        } else {
          await drop(e.id);
          sent++;
        }
      }
      list = await entries();
    } catch {
      return; // no IndexedDB: nothing was queued
    } finally {
      replaying = false;
    }
    if (again) return replay();
    const waiting = list.some((e) => !e.failed);
    if (sent && !waiting && !note) note = "Alla ändringar är skickade. Ladda om sidan för att se dem.";
    say(list, note);
    clearTimeout(retry);
    // No 'online' event comes when a dead network comes back.
    if (waiting && !note) retry = setTimeout(replay, 30000);
  };

  // reachable asks the server for something small: navigator.onLine is
  // false without a network, but true on one that goes nowhere.
  const reachable = async () => {
    if (navigator.onLine === false) return false;
    try {
      await fetch(SW, { method: "HEAD", cache: "no-store", signal: AbortSignal.timeout?.(8000) });
      return true;
    } catch {
      return false;
    }
  };

  for (const form of document.querySelectorAll("form[data-offline]")) {
    let pass = false, busy = false;
    window.addEventListener("pageshow", () => { busy = false; }); // back from the next page
    form.addEventListener("submit", async (e) => {
      if (e.defaultPrevented) return; // the signature check stopped it
      if (pass) { pass = false; return; } // our own resubmit: let it go
      e.preventDefault();
      if (busy) return; // a second tap while the first is under way
      busy = true;
      const s = e.submitter;
      const fields = [...new FormData(form, s)];
      const label = (s?.textContent || s?.value || "").trim() || form.getAttribute("aria-label") || new URL(form.action).pathname;
      // post has the browser send the form; busy stays, the page leaves.
      const post = () => {
        pass = true;
        if (form.requestSubmit) form.requestSubmit(s || undefined);
        else HTMLFormElement.prototype.submit.call(form);
      };
      let tried = false;
      try {
        const queued = await entries();
        // A new change must not overtake those that wait.
        if (!queued.some((q) => !q.failed) && (tried = true) && await reachable()) return post();
        // A page opened from the cache again carries the client_id of a
        // change that waits already; this one needs an id of its own.
        const id = fields.find(([k]) => k === "client_id");
        if (id && queued.some((q) => q.fields.some(([k, v]) => k === "client_id" && v === id[1]))) id[1] = newID();
        await save({ action: form.action, method: form.method, enctype: form.enctype, label, fields });
      } catch {
        return post(); // no IndexedDB: send it as without JavaScript
      }
      busy = false;
      // As after a normal submit: the form is empty, with a fresh id.
      form.reset();
      const cid = form.querySelector("input[name=client_id]");
      if (cid) cid.value = newID();
      say(await entries());
      // The server was just out of reach: try again later, not now.
      if (!tried) replay();
      else { clearTimeout(retry); retry = setTimeout(replay, 30000); }
    });
  }

  // A part picked from those used before brings its name and price,
  // where the technician has not typed them already.
  for (const input of document.querySelectorAll("input[list='parts-used']")) {
    input.addEventListener("change", () => {
      const opt = Array.from(input.list.options).find((o) => o.value === input.value);
      if (!opt) return;
      for (const [field, value] of [["description", opt.dataset.description], ["unit_price", opt.dataset.price]]) {
        const el = input.form.elements[field];
        if (el && !el.value && value) el.value = value;
      }
    });
  }

  // Cached pages hold customers' details: logging out removes them.
  for (const form of document.querySelectorAll("form[action='/logga-ut']")) {
    form.addEventListener("submit", (e) => {
      if (!window.caches) return;
      e.preventDefault();
      caches.keys()
        .then((ks) => Promise.all(ks.filter((k) => k.startsWith("kp-tekniker-")).map((k) => caches.delete(k))))
        .finally(() => HTMLFormElement.prototype.submit.call(form));
    });
  }

  if (window.indexedDB) {
    window.addEventListener("online", replay);
    replay();
  }
  if ("serviceWorker" in navigator && location.pathname.startsWith("/tekniker")) {
    // Scope /tekniker takes in the list page, but only if sw.js is sent
    // with "Service-Worker-Allowed: /tekniker"; else the default,
    // /tekniker/. The pages work without the worker all the same.
    navigator.serviceWorker.register(SW, { scope: "/tekniker" })
      .catch(() => navigator.serviceWorker.register(SW)).catch(() => {});
  }
})();
