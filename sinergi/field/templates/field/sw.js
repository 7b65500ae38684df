/* Sinergi Lapangan service worker (version __VERSION__), served from __SHELL__sw.js so that its scope
 * covers the field app. The shell and the reference data: network first with a short wait, else the
 * cached copy (so the app opens with no network at all). Static files: from the cache (their names
 * change with their content). API writes are never touched here: the page's outbox sends them. */
"use strict";

var CACHE = "lapangan-__VERSION__";
var SHELL = "__SHELL__";
var ASSETS = __ASSETS__;
var REFERENCE = "__REFERENCE__";
var WAIT_MS = 3000;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(ASSETS.concat([REFERENCE]).map(function (url) {
      return fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (usable(response)) return cache.put(url, response);
      }).catch(function () { /* cached on first use instead */ });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf("lapangan-") === 0 && key !== CACHE;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

function usable(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

function networkFirst(request, key) {
  return caches.open(CACHE).then(function (cache) {
    var network = fetch(request).then(function (response) {
      if (usable(response)) cache.put(key, response.clone());
      else if (response.status === 401 || response.type === "opaqueredirect") {
        /* logged out: this user's shell and data leave the phone (the outbox waits for the next login) */
        cache.delete(SHELL);
        cache.delete(REFERENCE);
      }
      return response;
    });
    var timeout = new Promise(function (resolve) { setTimeout(resolve, WAIT_MS); });
    var cached = function () { return cache.match(key); };
    return Promise.race([network.catch(function () { return null; }), timeout.then(function () { return null; })])
      .then(function (first) {
        if (first) return first;
        return cached().then(function (hit) { return hit || network; });
      });
  });
}

function cacheFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (usable(response)) cache.put(request, response.clone());
        return response;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === SHELL) {
    event.respondWith(networkFirst(request, SHELL));
  } else if (url.pathname === REFERENCE) {
    event.respondWith(networkFirst(request, REFERENCE));
  } else if (ASSETS.indexOf(url.pathname) !== -1) {
    event.respondWith(cacheFirst(request));
  }
});
