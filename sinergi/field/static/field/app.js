/* Sinergi Lapangan: the offline-first field app. Plain JS, no framework, no build step.
 *
 * Every submission goes into an outbox in IndexedDB with its client id first, then is sent when the
 * network allows (app open, the `online` event, every 20 s while open), retried with exponential
 * backoff. The server's answer is the receipt: stored, refused with the API's `detail`, or needs a
 * correction (a turnout quality flag). Reference data come from the service worker's cache. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("field-config").textContent);
  var T = JSON.parse(document.getElementById("field-messages").textContent);
  var DB_NAME = "sinergi-lapangan";
  var STORE = "outbox";
  var BASE_DELAY = 15000;
  var MAX_DELAY = 30 * 60000;
  var TICK = 20000;
  var SEND_TIMEOUT = 60000;
  var ref = null;
  var sending = null; /* the flush in progress, if any */
  var again = false; /* a forced flush was asked for while one ran: run once more after it */

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function pad(n) { return ("00" + n).slice(-3); }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function flash(text) {
    var node = $("#flash");
    node.textContent = text;
    node.hidden = false;
    clearTimeout(flash.timer);
    flash.timer = setTimeout(function () { node.hidden = true; }, 6000);
  }
  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }
  function when(iso) {
    return new Date(iso).toLocaleString(config.language === "en" ? "en-GB" : "id-ID", {
      day: "numeric", month: "short", hour: "2-digit", minute: "2-digit"
    });
  }

  /* ---- IndexedDB outbox ------------------------------------------------------------------- */

  var dbPromise = new Promise(function (resolve, reject) {
    var open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = function () { open.result.createObjectStore(STORE, { keyPath: "cid" }); };
    open.onsuccess = function () { resolve(open.result); };
    open.onerror = function () { reject(open.error); };
  });
  function store(mode, work) {
    return dbPromise.then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function allItems() { return store("readonly", function (s) { return s.getAll(); }); }
  function putItem(item) { return store("readwrite", function (s) { s.put(item); }); }
  function removeItem(cid) { return store("readwrite", function (s) { s.delete(cid); }); }

  function enqueue(kind, label, body, photo, sms) {
    var item = {
      cid: "hp-" + uuid(), kind: kind, label: label, body: body, photo: photo || null, sms: sms || "",
      user: ref ? ref.user.username : "", created: new Date().toISOString(), state: "waiting",
      attempts: 0, nextAt: 0, reason: "", server: null
    };
    body.client_id = item.cid;
    return putItem(item).then(function () {
      flash(T.queued);
      refreshPending();
      flush();
      return item;
    });
  }

  /* ---- sending ---------------------------------------------------------------------------- */

  function request(item) {
    var headers = { "X-CSRFToken": cookie(config.csrfCookie), Accept: "application/json" };
    var url, payload;
    if (item.kind === "turnout") {
      url = "/api/v1/turnout/reports";
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(item.body);
    } else {
      url = item.kind === "incident" ? "/api/v1/field/incidents"
        : "/api/v1/field/tps/" + encodeURIComponent(item.body.tps_code) + "/checklist";
      payload = new FormData();
      Object.keys(item.body).forEach(function (key) {
        var value = item.body[key];
        if (value === null || value === undefined || key === "tps_code" && item.kind === "checklist") return;
        payload.append(key, typeof value === "object" ? JSON.stringify(value) : String(value));
      });
      if (item.photo) payload.append("photo", item.photo, "foto.jpg");
    }
    var abort = new AbortController();
    var timer = setTimeout(function () { abort.abort(); }, SEND_TIMEOUT);
    return fetch(url, {
      method: "POST", headers: headers, body: payload, credentials: "same-origin", signal: abort.signal
    }).finally(function () { clearTimeout(timer); });
  }

  function backoff(item, reason) {
    item.attempts += 1;
    var delay = Math.min(BASE_DELAY * Math.pow(2, item.attempts - 1), MAX_DELAY);
    item.nextAt = Date.now() + delay * (0.75 + Math.random() / 2);
    item.state = "waiting";
    item.reason = reason || "";
  }

  function settle(item, response, body) {
    if (response.ok) {
      var result = item.kind === "turnout" && body.results ? body.results[0] : body;
      var flags = result && result.flags ? result.flags : [];
      item.state = flags.length ? "flagged" : "stored";
      item.reason = flags.map(function (f) { return f.message; }).join("; ");
      item.server = item.kind === "incident" ? { ref: body.ref, tracking: body.tracking_code }
        : { version: result ? result.version : null };
      item.sentAt = new Date().toISOString();
      item.photo = null; // stored on the server: free the phone's storage
    } else if (response.status === 401) {
      item.state = "waiting";
      item.reason = T.login;
      item.nextAt = Date.now() + BASE_DELAY;
    } else if (response.status === 408 || response.status === 429 || response.status >= 500) {
      backoff(item, (body && body.detail) || "HTTP " + response.status);
    } else {
      item.state = "refused";
      item.reason = (body && body.detail) || "HTTP " + response.status;
      item.photo = null;
    }
  }

  /* Cheap phones keep wrong clocks: the server's Date header of a live answer (never a cached one)
   * gives the offset, so an incident's time is the server's time of the moment it was seen. */
  function learnClock(response) {
    var date = Date.parse(response.headers.get("Date") || "");
    if (!isNaN(date)) {
      try { localStorage.setItem("lapangan-skew", String(date - Date.now())); } catch (e) { /* private mode */ }
    }
  }
  function serverNow() {
    var skew = 0;
    try { skew = parseInt(localStorage.getItem("lapangan-skew") || "0", 10) || 0; } catch (e) { /* private mode */ }
    return new Date(Date.now() + skew);
  }

  function sendOne(item) {
    item.state = "sending";
    return putItem(item).then(function () { return request(item); }).then(function (response) {
      learnClock(response);
      return response.json().catch(function () { return null; }).then(function (body) {
        settle(item, response, body || {});
      });
    }, function () {
      if (navigator.onLine) backoff(item, "");
      else { item.state = "waiting"; item.nextAt = 0; } /* no signal: sent as soon as it returns */
    }).then(function () { return putItem(item); });
  }

  function flush(force) {
    if (!ref) return Promise.resolve();
    if (sending) { again = again || !!force; return sending; }
    var finished;
    sending = new Promise(function (resolve) { finished = resolve; });
    return allItems().then(function (items) {
      var due = items.filter(function (item) {
        return (item.state === "waiting" || item.state === "sending") && item.user === ref.user.username &&
          (force || item.nextAt <= Date.now());
      }).sort(function (a, b) { return a.created < b.created ? -1 : 1; });
      return due.reduce(function (chain, item) {
        return chain.then(function () { return sendOne(item); });
      }, Promise.resolve());
    }).catch(function () { /* a closed database: the next tick tries again */ }).then(function () {
      var rerun = again;
      sending = null;
      again = false;
      finished();
      refreshPending();
      if (location.hash === "#kiriman") showReceipts();
      if (rerun) return flush(true);
    });
  }

  function confirmStates() {
    /* Ask the server what became of what it stored (a turnout flag reviewed since, an incident's state). */
    if (!navigator.onLine || !ref) return;
    allItems().then(function (items) {
      var sent = items.filter(function (i) { return i.state === "stored" || i.state === "flagged"; }).slice(-100);
      if (!sent.length) return;
      var ids = sent.map(function (i) { return i.cid; }).join(",");
      return fetch("/api/v1/field/receipts?ids=" + encodeURIComponent(ids), { credentials: "same-origin" })
        .then(function (r) { learnClock(r); return r.ok ? r.json() : {}; })
        .then(function (found) {
          return Promise.all(sent.filter(function (i) { return found[i.cid]; }).map(function (item) {
            var seen = found[item.cid];
            item.state = seen.state;
            item.reason = (seen.flags || []).map(function (f) { return f.message; }).join("; ");
            if (seen.status) item.server = Object.assign({}, item.server, { status: seen.status });
            return putItem(item);
          }));
        });
    }).catch(function () { /* offline again */ });
  }

  function refreshPending() {
    allItems().then(function (items) {
      var n = items.filter(function (i) { return i.state === "waiting" || i.state === "sending"; }).length;
      $("#pending-count").textContent = n;
      $("#pending-link").hidden = n === 0;
    });
  }

  /* ---- receipts --------------------------------------------------------------------------- */

  function smsLink(item) {
    var number = config.smsNumber || "";
    var separator = /iPhone|iPad/.test(navigator.userAgent) ? "&" : "?";
    return "sms:" + number + separator + "body=" + encodeURIComponent(item.sms);
  }

  function showReceipts() {
    allItems().then(function (items) {
      var list = $("#receipts");
      list.textContent = "";
      items.sort(function (a, b) { return a.created < b.created ? 1 : -1; });
      if (!items.length) list.appendChild(el("li", {}, T.noReceipts));
      items.forEach(function (item) {
        var li = el("li", { class: "receipt " + item.state, "data-cid": item.cid, "data-state": item.state });
        li.appendChild(el("strong", {}, T[item.kind] + " · " + item.label));
        li.appendChild(el("span", { class: "small" }, when(item.created)));
        var state = T[item.state] || item.state;
        if (item.server && item.server.ref) state += " " + item.server.ref;
        if (item.server && item.server.version) state += " (v" + item.server.version + ")";
        li.appendChild(el("span", { class: "state" }, state));
        if (item.reason) li.appendChild(el("span", { class: "reason" }, item.reason));
        if (item.state === "waiting" || item.state === "sending") {
          li.appendChild(el("span", { class: "small" }, T.onPhoneOnly));
          var waited = (Date.now() - new Date(item.created).getTime()) / 60000;
          if (item.sms && waited >= config.smsAfterMinutes) {
            li.appendChild(el("span", { class: "small" }, T.smsOffer + " " + item.sms));
            var link = el("a", { class: "button sms", href: smsLink(item) }, T.smsButton);
            link.addEventListener("click", function () {
              /* One report, one channel: once the SMS is sent the app stops sending its copy. */
              item.state = "sms";
              putItem(item).then(function () { refreshPending(); showReceipts(); });
            });
            li.appendChild(link);
          }
          var retry = el("button", { type: "button", class: "secondary" }, T.tryAgain);
          retry.addEventListener("click", function () {
            item.nextAt = 0;
            putItem(item).then(function () { flush(true); });
          });
          li.appendChild(retry);
        }
        if (item.state === "refused" || item.state === "sms") {
          var drop = el("button", { type: "button", class: "secondary" }, T.remove);
          drop.addEventListener("click", function () { removeItem(item.cid).then(showReceipts); });
          li.appendChild(drop);
        }
        list.appendChild(li);
      });
    });
  }

  /* ---- places: the own TPS, search by desa name, nearest by location ------------------------ */

  function tpsLabel(code, number, desaName) { return T.tps + " " + pad(number) + " · " + desaName; }
  function tpsRow(code) {
    for (var i = 0; i < ref.tps.length; i++) if (ref.tps[i][0] === code) return ref.tps[i];
    return null;
  }
  function labelOf(code) {
    var row = tpsRow(code);
    if (row) return tpsLabel(code, row[1], ref.desas[row[2]][1]);
    for (var i = 0; i < ref.desas.length; i++) if (ref.desas[i][0] === code) return ref.desas[i][1];
    return code;
  }
  function distanceKm(lat1, lng1, lat2, lng2) {
    var rad = Math.PI / 180, dp = (lat2 - lat1) * rad, dl = (lng2 - lng1) * rad;
    var h = Math.pow(Math.sin(dp / 2), 2) + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.pow(Math.sin(dl / 2), 2);
    return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function Picker(root, mode) {
    root.appendChild(document.importNode($("#picker-template").content, true));
    this.root = root;
    this.mode = mode;
    this.value = null;
    var self = this;
    var input = $(".find-text", root);
    var timer;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { self.search(input.value); }, 200);
    });
    $(".locate", root).addEventListener("click", function () { self.locate(); });
    if (ref.own_tps) this.choose(ref.own_tps, labelOf(ref.own_tps));
  }
  Picker.prototype.choose = function (code, label) {
    this.value = code;
    $(".chosen-label", this.root).textContent = label;
    $(".hits", this.root).textContent = "";
    $(".find-text", this.root).value = "";
    this.root.dispatchEvent(new CustomEvent("picked", { bubbles: true, detail: code }));
  };
  Picker.prototype.show = function (hits) {
    var list = $(".hits", this.root), self = this;
    list.textContent = "";
    if (!hits.length) list.appendChild(el("li", {}, T.noneFound));
    hits.forEach(function (hit) {
      var button = el("button", { type: "button", class: "hit", "data-code": hit.code },
        hit.label + (hit.km !== undefined && hit.km !== null ? " · " + new Intl.NumberFormat(config.language === "en" ? "en" : "id", { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(hit.km) + " " + T.km : ""));
      button.addEventListener("click", function () { self.choose(hit.code, hit.label); });
      list.appendChild(el("li")).appendChild(button);
    });
  };
  Picker.prototype.search = function (text) {
    var self = this, needle = text.trim().toLowerCase();
    if (needle.length < 2) { this.show([]); return; }
    var hits = [];
    ref.desas.forEach(function (desa, index) {
      if (desa[1].toLowerCase().indexOf(needle) === -1) return;
      if (self.mode === "place") hits.push({ code: desa[0], label: desa[1] + " (" + desa[2] + ")" });
      ref.tps.forEach(function (row) {
        if (row[2] === index) hits.push({ code: row[0], label: tpsLabel(row[0], row[1], desa[1]) });
      });
    });
    if (hits.length || ref.tps_complete || !navigator.onLine) { this.show(hits.slice(0, 30)); return; }
    fetch("/api/v1/field/tps?q=" + encodeURIComponent(text), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (rows) {
        self.show(rows.map(function (r) { return { code: r.code, label: tpsLabel(r.code, r.number, r.desa_name) }; }));
      }, function () { self.show([]); });
  };
  Picker.prototype.locate = function () {
    var self = this;
    if (!navigator.geolocation) { flash(T.noLocation); return; }
    flash(T.locating);
    navigator.geolocation.getCurrentPosition(function (position) {
      self.near(position.coords.latitude, position.coords.longitude);
    }, function () { flash(T.noLocation); }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  };
  Picker.prototype.near = function (lat, lng) {
    var self = this;
    this.point = [lat, lng];
    function local() {
      var ranked = ref.tps.filter(function (r) { return r[3] !== null && r[4] !== null; }).map(function (r) {
        return { code: r[0], label: tpsLabel(r[0], r[1], ref.desas[r[2]][1]), km: distanceKm(lat, lng, r[3], r[4]) };
      }).sort(function (a, b) { return a.km - b.km; });
      self.show(ranked.slice(0, 5));
    }
    if (!navigator.onLine) { local(); return; }
    fetch("/api/v1/field/tps/nearest?lat=" + lat + "&lng=" + lng, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(); return r.json(); })
      .then(function (rows) {
        self.show(rows.map(function (r) {
          return { code: r.code, label: tpsLabel(r.code, r.number, r.desa_name), km: r.km };
        }));
      }, local);
  };

  /* ---- photos: resized on the phone before they queue --------------------------------------- */

  var MAX_SIDE = 1280;
  function shrink(file) {
    if (!file) return Promise.resolve(null);
    return createImageBitmap(file).then(function (image) {
      var scale = Math.min(1, MAX_SIDE / Math.max(image.width, image.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(image.width * scale);
      canvas.height = Math.round(image.height * scale);
      canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.7); });
    });
  }
  function photoInput(form) {
    var input = $("input[type=file]", form), note = $(".photo-note", form);
    input.addEventListener("change", function () {
      form.photoBlob = null;
      shrink(input.files[0]).then(function (blob) {
        form.photoBlob = blob;
        note.hidden = !blob;
        if (blob) note.textContent = T.photoAdded + " · " + Math.round(blob.size / 1024) + " KB";
      }, function () { note.hidden = false; note.textContent = T.noneFound; });
    });
  }

  /* ---- the three forms ---------------------------------------------------------------------- */

  function number(form, name) {
    var value = form.elements[name].value;
    return value === "" ? null : parseInt(value, 10);
  }
  function invalid(form) {
    var bad = $$("[required]", form).filter(function (field) { return !field.value.trim(); });
    bad.forEach(function (field) { field.setAttribute("aria-invalid", "true"); });
    if (bad.length) { flash(T.required); bad[0].focus(); }
    return bad.length > 0;
  }
  function done(form) {
    form.reset();
    form.photoBlob = null;
    $$(".photo-note", form).forEach(function (n) { n.hidden = true; });
    $$("[aria-invalid]", form).forEach(function (n) { n.removeAttribute("aria-invalid"); });
    location.hash = "#kiriman";
  }

  function turnoutForm() {
    var form = $("#form-turnout");
    var picker = new Picker($(".picker", form), "tps");
    var select = form.elements.checkpoint;
    var now = new Date().toTimeString().slice(0, 5), chosen = null;
    (ref.turnout ? ref.turnout.checkpoints : []).forEach(function (c) {
      select.appendChild(el("option", { value: c.code }, c.label + " (" + c.time + ")"));
      if (c.time <= now || chosen === null) chosen = c.code;
    });
    if (chosen) select.value = chosen;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!picker.value) { flash(T.noTps); return; }
      if (invalid(form)) return;
      var body = {
        tps_code: picker.value, checkpoint: select.value, voters: number(form, "voters"),
        voters_male: number(form, "voters_male"), voters_female: number(form, "voters_female")
      };
      if (ref.turnout) body.election = ref.turnout.election;
      var label = labelOf(picker.value) + " · " + select.value + " · " + body.voters;
      enqueue("turnout", label, body, null, "TPS " + body.tps_code + " " + body.checkpoint + " " + body.voters)
        .then(function () { done(form); });
    });
  }

  function incidentForm() {
    var form = $("#form-incident");
    var picker = new Picker($(".picker", form), "place");
    ref.categories.forEach(function (c) { form.elements.category.appendChild(el("option", { value: c.code }, c.name)); });
    photoInput(form);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!picker.value) { flash(T.noTps); return; }
      if (invalid(form)) return;
      var category = ref.categories.filter(function (c) { return c.code === form.elements.category.value; })[0];
      var text = form.elements.description.value.trim();
      var body = { category: category.code, area_code: picker.value, description: text,
        occurred_at: serverNow().toISOString() };
      if (picker.point) { body.lat = picker.point[0]; body.lng = picker.point[1]; }
      var sms = category.keyword ? "LAPOR " + picker.value + " " + category.keyword + " " + text.replace(/\s+/g, " ") : "";
      enqueue("incident", category.name + " · " + labelOf(picker.value), body, form.photoBlob, sms)
        .then(function () { done(form); });
    });
  }

  function roundFor(code) {
    var best = null;
    ref.rounds.forEach(function (r) {
      if ((code + ".").indexOf(r.area + ".") === 0 && (!best || r.area.length > best.area.length)) best = r;
    });
    return best;
  }

  function checklistForm() {
    var form = $("#form-checklist");
    var box = $(".questions", form);
    var picker;
    function questions(code) {
      $$(".q", box).forEach(function (n) { n.remove(); });
      var round = code ? roundFor(code) : null;
      form.round = round;
      $(".round-name", form).textContent = round ? round.name : T.noRound;
      (round ? round.indicators : []).forEach(function (q) {
        var label = el("label", { class: "q" });
        var input = q.type === "jumlah"
          ? el("input", { type: "number", inputmode: "numeric", min: "0", value: "0", name: "q-" + q.code })
          : el("input", { type: "checkbox", name: "q-" + q.code });
        input.dataset.code = q.code;
        label.appendChild(input);
        label.appendChild(el("span", {}, q.code + " " + q.text));
        box.appendChild(label);
      });
    }
    form.addEventListener("picked", function (event) { questions(event.detail); });
    picker = new Picker($(".picker", form), "tps");
    if (!picker.value) questions(null);
    photoInput(form);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!picker.value) { flash(T.noTps); return; }
      if (!form.round) { flash(T.noRound); return; }
      var answers = {};
      $$(".q input", box).forEach(function (input) {
        answers[input.dataset.code] = input.type === "checkbox" ? { yes: input.checked }
          : { count: parseInt(input.value || "0", 10) };
      });
      var body = { tps_code: picker.value, round: form.round.slug, answers: answers, note: form.elements.note.value };
      var yes = Object.keys(answers).filter(function (k) { return answers[k].yes || answers[k].count; }).length;
      enqueue("checklist", labelOf(picker.value) + " · " + yes + " " + T.yes, body, form.photoBlob, "")
        .then(function () { done(form); questions(picker.value); });
    });
  }

  function actionsList() {
    var list = $("#actions");
    list.textContent = "";
    if (!ref.actions.length) list.appendChild(el("li", {}, T.noActions));
    ref.actions.forEach(function (a) {
      var li = el("li");
      li.appendChild(el("a", { href: "/rapat/tindak-lanjut/" + a.id + "/" }, a.title));
      li.appendChild(el("span", { class: "small" }, T.due + " " + a.due));
      list.appendChild(li);
    });
  }

  /* ---- views and start-up -------------------------------------------------------------------- */

  function route() {
    var view = location.hash.replace("#", "");
    $$("section[data-view]").forEach(function (section) { section.hidden = section.dataset.view !== view; });
    if (view === "kiriman") showReceipts();
    window.scrollTo(0, 0);
  }
  function network() {
    var node = $("#net");
    node.textContent = navigator.onLine ? T.online : T.offline;
    node.className = "net " + (navigator.onLine ? "on" : "off");
  }

  function start(data) {
    ref = data;
    $("#who").textContent = data.user.name + (data.own_tps ? " · " + labelOf(data.own_tps) : "");
    $$("[data-needs=turnout]").forEach(function (a) { a.hidden = !data.turnout; });
    $$("[data-needs=rounds]").forEach(function (a) { a.hidden = !data.rounds.length; });
    turnoutForm();
    incidentForm();
    checklistForm();
    actionsList();
    document.body.classList.add("ready");
    if (window.performance && performance.mark) performance.mark("field-ready"); /* time to interactive */
    refreshPending();
    flush(true).then(confirmStates);
  }

  window.addEventListener("hashchange", route);
  window.addEventListener("online", function () { network(); flush(true).then(confirmStates); });
  window.addEventListener("offline", network);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) flush(); });
  setInterval(function () { flush(); }, TICK);
  $("#send-now").addEventListener("click", function () { flush(true); });
  network();
  route();

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.sw, { scope: config.sw.replace(/sw\.js$/, "") });
  }
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist();

  fetch(config.reference, { credentials: "same-origin" }).then(function (r) {
    if (r.status === 401 || r.status === 403) { location.href = config.login + "?next=" + encodeURIComponent(location.pathname); }
    if (!r.ok) throw new Error("HTTP " + r.status);
    return r.json();
  }).then(start, function () { flash(T.offline); });

  window.sinergiField = { flush: flush, items: allItems };
})();
