{% autoescape off %}/* Service worker of Sistem Informasi TKSK, served from the site root so that it controls `/`.
   Pages: network first (online behaviour unchanged); with no network, a cached form or the
   offline home. A new version waits until the page says the outbox is empty. */
"use strict";

var VERSI = "{{ versi }}";
var CACHE = "tksk-" + VERSI;
var SHELL = {{ shell }};
var FORMULIR = {{ formulir }};
var BERANDA = {{ beranda }};
// Form pages kept for offline use: new and edit forms of the offline entities.
var POLA_FORMULIR = [
  /^\/pendataan\/(keluarga|ppks|psks)\/baru\/$/,
  /^\/pendataan\/(keluarga|ppks|psks)\/[0-9a-f-]{36}\/ubah\/$/,
  /^\/koordinasi\/kegiatan\/baru\/$/,
  /^\/koordinasi\/kegiatan\/[0-9a-f-]{36}\/ubah\/$/,
  /^\/koordinasi\/rujukan\/baru\/[0-9a-f-]{36}\/$/
];

function formulir(path) {
  return POLA_FORMULIR.some(function (p) { return p.test(path); });
}

function simpanHalaman(cache, url, response) {
  // A redirect (to the login page) or an error is never kept as the form.
  if (!response || !response.ok || response.redirected || response.type !== "basic") return null;
  return cache.put(url, response);
}

function panaskan() {
  return caches.open(CACHE).then(function (cache) {
    return Promise.all(FORMULIR.map(function (url) {
      // A slow form page must not hold the installation back for long.
      var stop = new AbortController();
      setTimeout(function () { stop.abort(); }, 15000);
      return fetch(url, { credentials: "same-origin", redirect: "follow", signal: stop.signal })
        .then(function (r) { return simpanHalaman(cache, url, r); })
        .catch(function () { return null; });
    }));
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(SHELL);
  }).then(panaskan));
  // No skipWaiting here: the page lets a new version take over once nothing waits to be sent.
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf("tksk-") === 0 && k !== CACHE;
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "lewati") self.skipWaiting();
  else if (data.type === "panaskan") event.waitUntil(panaskan());
  else if (data.type === "versi" && event.ports[0]) event.ports[0].postMessage({ versi: VERSI });
  else if (data.type === "hapus-formulir") {
    // Wipe: drop the cached form pages (an edit page holds a household); keep the app shell,
    // so that the offline home still opens.
    event.waitUntil(caches.open(CACHE).then(function (cache) {
      return cache.keys().then(function (requests) {
        return Promise.all(requests.filter(function (r) {
          return SHELL.indexOf(new URL(r.url).pathname) === -1;
        }).map(function (r) { return cache.delete(r); }));
      });
    }));
  }
});

// Background Sync (Chromium only, unreliable): wake an open page to drain its outbox.
self.addEventListener("sync", function (event) {
  if (event.tag !== "tksk-kirim") return;
  event.waitUntil(self.clients.matchAll({ includeUncontrolled: true }).then(function (list) {
    list.forEach(function (c) { c.postMessage({ type: "kirim" }); });
  }));
});

// --- a failed form POST: keep what was typed, let the page put it in the outbox ----------------
function bukaDb() {
  return new Promise(function (resolve, reject) {
    var req = indexedDB.open("tksk-sw", 1);
    req.onupgradeneeded = function () { req.result.createObjectStore("kiriman", { keyPath: "path" }); };
    req.onsuccess = function () { resolve(req.result); };
    req.onerror = function () { reject(req.error); };
  });
}

function simpanKiriman(path, entries) {
  return bukaDb().then(function (db) {
    return new Promise(function (resolve, reject) {
      var tx = db.transaction("kiriman", "readwrite");
      tx.objectStore("kiriman").put({ path: path, entries: entries, waktu: Date.now() });
      tx.oncomplete = function () { db.close(); resolve(); };
      tx.onerror = function () { reject(tx.error); };
    });
  });
}

function kirimFormulir(request, path) {
  var salinan = request.clone();
  return fetch(request).catch(function () {
    return salinan.formData().then(function (fd) {
      var entries = [];
      fd.forEach(function (v, k) { if (typeof v === "string") entries.push([k, v]); });
      return simpanKiriman(path, entries);
    }).then(function () {
      return Response.redirect(path + "?tanpa-sinyal=1", 303);
    });
  });
}

function halaman(request, url) {
  return fetch(request).then(function (response) {
    if (formulir(url.pathname)) {
      var salinan = response.clone();
      caches.open(CACHE).then(function (cache) { simpanHalaman(cache, url.pathname, salinan); });
    }
    return response;
  }).catch(function () {
    return caches.open(CACHE).then(function (cache) {
      return cache.match(url.pathname, { ignoreSearch: true, ignoreVary: true }).then(function (hit) {
        return hit || cache.match(BERANDA, { ignoreVary: true });
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && request.method === "POST" && formulir(url.pathname)) {
    event.respondWith(kirimFormulir(request, url.pathname));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(halaman(request, url));
    return;
  }
  if (url.pathname.indexOf("/api/") === 0) return;
  // Static files: the network when it answers (so that online nothing changes), the cache else.
  event.respondWith(fetch(request).catch(function () {
    return caches.match(request, { ignoreSearch: true, ignoreVary: true }).then(function (hit) {
      return hit || Response.error();
    });
  }));
});
{% endautoescape %}
