/* Offline inspection pack: map, nearest-first list, results kept in IndexedDB, export.
 *
 * Runs from a file:// page with no network. Every text from the data is placed with
 * textContent (never innerHTML). Results are keyed by a UUID made on the device, so the
 * server stores each one once however often the file is uploaded. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("pack-data").textContent);
  var T = DATA.texts, LIM = DATA.limits, SITES = DATA.sites;
  var DB_NAME = "kehoach-offline", STORE = "results";
  var PART_CHARS = LIM.part_chars;
  var COLOURS = { planned: "#6b7280", installing: "#d97706", installed: "#15803d",
    needs_fix: "#dc2626" };
  var state = { position: null, done: {}, photos: [], site: null, db: null };
  var byId = {};
  SITES.forEach(function (s) { byId[s.id] = s; });

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function fmt(text, params) {
    return String(text).replace(/\{(\w+)\}/g, function (m, k) {
      return params[k] !== undefined ? params[k] : m;
    });
  }
  function newUuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); });
    return [h.slice(0, 4).join(""), h.slice(4, 6).join(""), h.slice(6, 8).join(""),
      h.slice(8, 10).join(""), h.slice(10).join("")].join("-");
  }

  /* --- storage ----------------------------------------------------------------------- */
  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () {
        var store = req.result.createObjectStore(STORE, { keyPath: "uuid" });
        store.createIndex("pack_id", "pack_id");
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function packResults() {
    return new Promise(function (resolve, reject) {
      var req = state.db.transaction(STORE).objectStore(STORE).index("pack_id")
        .getAll(DATA.pack_id);
      req.onsuccess = function () {
        resolve(req.result.sort(function (a, b) {
          return a.recorded_at < b.recorded_at ? -1 : a.recorded_at > b.recorded_at ? 1 : 0;
        }));
      };
      req.onerror = function () { reject(req.error); };
    });
  }
  function putResult(record) {
    return new Promise(function (resolve, reject) {
      var tx = state.db.transaction(STORE, "readwrite");
      tx.objectStore(STORE).put(record);
      tx.oncomplete = function () { resolve(); };
      tx.onerror = tx.onabort = function () { reject(tx.error); };
    });
  }

  /* --- layout ------------------------------------------------------------------------ */
  var app = document.getElementById("app");
  var head = el("header");
  head.appendChild(el("h1", {}, T.title));
  head.appendChild(el("p", { "class": "scope", id: "pack-scope" }, DATA.scope));
  var meta = el("p", { "class": "meta", id: "pack-meta" });
  meta.textContent = T.plan + ": " + (DATA.plan || "—") + " · " + T.created + ": " +
    new Date(DATA.created_at).toLocaleString("vi-VN") + " · " + SITES.length + " " + T.sites;
  head.appendChild(meta);
  app.appendChild(head);
  var mapBox = el("div", { id: "map" });
  app.appendChild(mapBox);
  var gps = el("p", { id: "gps", "class": "gps" }, T.locating);
  app.appendChild(gps);
  var list = el("ol", { id: "site-list" });
  app.appendChild(list);
  var form = el("section", { id: "record", hidden: "" });
  app.appendChild(form);
  var stored = el("section", { id: "stored" });
  app.appendChild(stored);
  var sync = el("p", { id: "sync-note", "class": "note" }, T.sync);
  app.appendChild(sync);

  /* --- map --------------------------------------------------------------------------- */
  var map = L.map(mapBox, { preferCanvas: true, zoomControl: true, attributionControl: false });
  var base = DATA.base;
  // The view comes first: the canvas renderer needs it before any layer is added.
  var bounds = L.latLngBounds(SITES.map(function (s) { return [s.lat, s.lon]; }));
  map.fitBounds(bounds.pad(0.1), { maxZoom: 17 });
  if (base.district) {
    L.geoJSON(base.district, { style: { color: "#1e3a8a", weight: 3, fill: false } }).addTo(map);
  }
  L.geoJSON({ type: "GeometryCollection", geometries: base.wards.map(function (w) {
    return w.geometry; }) }, { style: { color: "#64748b", weight: 1, dashArray: "4 4",
    fill: false } }).addTo(map);
  L.geoJSON({ type: "GeometryCollection", geometries: base.streets.map(function (s) {
    return s.geometry; }) }, { style: { color: "#94a3b8", weight: 2 } }).addTo(map);
  var markers = {};
  SITES.forEach(function (s) {
    var colour = COLOURS[s.status] || "#111827";
    if (s.line) {
      L.polyline(s.line.map(function (c) { return [c[1], c[0]]; }),
        { color: colour, weight: 5 }).addTo(map);
    }
    markers[s.id] = L.circleMarker([s.lat, s.lon], { radius: 7, color: "#fff", weight: 2,
      fillColor: colour, fillOpacity: 1 }).addTo(map).on("click", function () { openSite(s); });
  });
  var here = null;

  /* --- nearest-first list ------------------------------------------------------------ */
  function metres(s, p) {
    var k = Math.PI / 180, x = (s.lon - p.lon) * k * Math.cos((s.lat + p.lat) * k / 2);
    return 6371000 * Math.sqrt(x * x + Math.pow((s.lat - p.lat) * k, 2));
  }
  function renderList() {
    var rows = SITES.map(function (s) {
      return { site: s, d: state.position ? metres(s, state.position) : null };
    });
    if (state.position) rows.sort(function (a, b) { return a.d - b.d; });
    list.textContent = "";
    rows.slice(0, LIM.list_rows).forEach(function (row) {
      var s = row.site, item = el("li");
      var button = el("button", { type: "button", "class": "site", "data-site": s.id });
      button.appendChild(el("strong", {}, s.code + " · " + (s.name || s.kind_label)));
      var line = s.kind_label + " · " + s.status_label + (s.street ? " · " + s.street : "");
      button.appendChild(el("span", { "class": "sub" }, line));
      if (row.d !== null) button.appendChild(el("span", { "class": "dist" },
        row.d < 1000 ? Math.round(row.d) + " m" : (row.d / 1000).toFixed(1) + " km"));
      if (state.done[s.id]) button.appendChild(el("span", { "class": "done" }, "✓ " + T.done));
      button.addEventListener("click", function () { openSite(s); });
      item.appendChild(button);
      list.appendChild(item);
    });
  }
  if (navigator.geolocation) {
    navigator.geolocation.watchPosition(function (pos) {
      state.position = { lon: pos.coords.longitude, lat: pos.coords.latitude,
        accuracy: pos.coords.accuracy };
      gps.textContent = T.nearest + " (±" + Math.round(pos.coords.accuracy) + " m)";
      if (!here) here = L.circleMarker([0, 0], { radius: 6, color: "#2563eb" }).addTo(map);
      here.setLatLng([state.position.lat, state.position.lon]);
      renderList();
    }, function () { gps.textContent = T.no_gps; },
    { enableHighAccuracy: true, maximumAge: 15000, timeout: 30000 });
  } else {
    gps.textContent = T.no_gps;
  }

  /* --- photos: resized on the device to the app's limits ------------------------------ */
  function resize(file) {
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (img) {
      var scale = Math.min(1, LIM.max_edge / Math.max(img.width, img.height));
      var canvas = el("canvas");
      canvas.width = Math.max(1, Math.round(img.width * scale));
      canvas.height = Math.max(1, Math.round(img.height * scale));
      canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
      var url = canvas.toDataURL("image/jpeg", LIM.quality);
      return { name: (file.name || "anh").replace(/\.[^.]*$/, "") + ".jpg",
        data: url.slice(url.indexOf(",") + 1) };
    });
  }

  /* --- the record form --------------------------------------------------------------- */
  function field(labelText, input) {
    var box = el("label", { "class": "field" });
    box.appendChild(el("span", {}, labelText));
    box.appendChild(input);
    return box;
  }
  function openSite(s) {
    state.site = s; state.photos = [];
    form.textContent = "";
    var back = el("button", { type: "button", id: "back" }, T.back);
    back.addEventListener("click", closeForm);
    form.appendChild(back);
    form.appendChild(el("h2", {}, s.code + " · " + (s.name || s.kind_label)));
    form.appendChild(el("p", { "class": "sub" }, [s.kind_label, s.status_label, s.street,
      s.address, T.version + " " + s.version].filter(Boolean).join(" · ")));
    var outcome = el("div", { "class": "outcome", role: "radiogroup" });
    ["pass", "needs_fix"].forEach(function (value) {
      var input = el("input", { type: "radio", name: "outcome", value: value, id: "o-" + value });
      if (value === "pass") input.checked = true;
      var lab = el("label", { "for": "o-" + value, "class": "choice" });
      lab.appendChild(input); lab.appendChild(el("span", {}, T[value]));
      outcome.appendChild(lab);
    });
    form.appendChild(outcome);
    var defects = el("fieldset", { id: "defects" });
    defects.appendChild(el("legend", {}, T.defects));
    DATA.defects.forEach(function (d) {
      var lab = el("label", { "class": "choice" });
      lab.appendChild(el("input", { type: "checkbox", name: "defect", value: d.value }));
      lab.appendChild(el("span", {}, d.label));
      defects.appendChild(lab);
    });
    form.appendChild(defects);
    if (s.flags && inFlagWindow()) {
      var flags = el("div", { "class": "flags" });
      var hung = el("input", { type: "number", id: "flags-hung", min: "0", inputmode: "numeric" });
      var expected = el("input", { type: "number", id: "flags-expected", min: "0",
        inputmode: "numeric" });
      hung.value = s.flags_hung; expected.value = s.flags_expected;
      flags.appendChild(field(T.flags, hung)); flags.appendChild(expected);
      form.appendChild(flags);
    }
    var note = el("textarea", { id: "note", maxlength: String(LIM.max_note), rows: "3" });
    form.appendChild(field(T.note, note));
    var camera = el("input", { type: "file", id: "photo", accept: "image/*",
      capture: "environment", multiple: "" });
    form.appendChild(field(T.photos, camera));
    var thumbs = el("div", { id: "thumbs" });
    form.appendChild(thumbs);
    camera.addEventListener("change", function () {
      var files = Array.prototype.slice.call(camera.files);
      camera.disabled = true;
      Promise.all(files.map(resize)).then(function (photos) {
        state.photos = state.photos.concat(photos).slice(0, LIM.max_photos);
        thumbs.textContent = "";
        state.photos.forEach(function (p) {
          thumbs.appendChild(el("img", { src: "data:image/jpeg;base64," + p.data, alt: p.name }));
        });
        if (state.photos.length >= LIM.max_photos) message(fmt(T.too_many_photos,
          { n: LIM.max_photos }));
      }).catch(function (e) { message(String(e)); })
        .then(function () { camera.disabled = false; camera.value = ""; });
    });
    var msg = el("p", { id: "form-message", role: "status" });
    var save = el("button", { type: "button", id: "save", "class": "primary" }, T.save);
    save.addEventListener("click", function () { saveRecord(s); });
    form.appendChild(save);
    form.appendChild(msg);
    form.hidden = false; list.hidden = true;
    window.scrollTo(0, form.offsetTop);
  }
  function inFlagWindow() {
    // Flag counts are recorded only inside the plan's flag-hanging window (local dates).
    var w = DATA.flag_window;
    if (!w) return false;
    var d = new Date(), today = d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0")
      + "-" + String(d.getDate()).padStart(2, "0");
    return w[0] <= today && today <= w[1];
  }
  function message(text) {
    var box = document.getElementById("form-message") || gps;
    box.textContent = text;
  }
  function closeForm() {
    form.hidden = true; list.hidden = false; state.site = null; state.photos = [];
    renderList();
  }
  function number(id) {
    var node = document.getElementById(id);
    if (!node || node.value === "") return null;
    return Math.max(0, Math.round(Number(node.value)));
  }
  function saveRecord(s) {
    var outcome = form.querySelector("input[name=outcome]:checked").value;
    var defects = Array.prototype.map.call(
      form.querySelectorAll("input[name=defect]:checked"), function (n) { return n.value; });
    if (outcome === "pass") defects = [];
    if (outcome === "needs_fix" && (!defects.length || !state.photos.length)) {
      message(T.need_defect); return;
    }
    var previous = state.done[s.id];
    var record = {
      uuid: newUuid(), pack_id: DATA.pack_id, site_id: s.id, site_version: s.version,
      after: previous ? previous.uuid : null, outcome: outcome, defects: defects,
      note: document.getElementById("note").value.slice(0, LIM.max_note),
      flags_hung: number("flags-hung"),
      flags_expected: number("flags-expected"),
      position: state.position, recorded_at: new Date().toISOString(), photos: state.photos
    };
    if (record.flags_hung === null || record.flags_expected === null) {
      record.flags_hung = null; record.flags_expected = null;
    }
    putResult(record).then(function () {
      state.done[s.id] = record;
      closeForm();
      gps.textContent = T.saved;
      return refreshStored();
    }).catch(function (e) { message(T.storage_error + e); });
  }

  /* --- stored results and export ----------------------------------------------------- */
  function refreshStored() {
    return packResults().then(function (rows) {
      state.done = {};
      rows.forEach(function (r) { state.done[r.site_id] = r; });
      stored.textContent = "";
      stored.appendChild(el("h2", {}, T.stored + ": "));
      stored.firstChild.appendChild(el("span", { id: "stored-count" }, rows.length));
      var exportButton = el("button", { type: "button", id: "export", "class": "primary" },
        T.export);
      exportButton.disabled = !rows.length;
      exportButton.addEventListener("click", function () { exportResults(rows); });
      stored.appendChild(exportButton);
      stored.appendChild(el("p", { id: "export-message", role: "status" }));
      if (!state.site) renderList();
    });
  }
  function exportResults(rows) {
    var parts = [], current = [], size = 0;
    rows.forEach(function (r) {
      var item = JSON.stringify(Object.assign({}, r, { pack_id: undefined }));
      if (current.length && size + item.length > PART_CHARS) {
        parts.push(current); current = []; size = 0;
      }
      current.push(item); size += item.length + 1;
    });
    if (current.length) parts.push(current);
    parts.forEach(function (items, n) {
      var head = JSON.stringify({ format: LIM.results_format, pack_id: DATA.pack_id,
        created_at: DATA.created_at, sig: DATA.sig, part: n + 1, parts: parts.length });
      var text = head.slice(0, -1) + ',"results":[' + items.join(",") + "]}";
      var link = el("a", { download: "ket-qua-" + DATA.pack_id.slice(0, 8) + "-" + (n + 1) +
        ".json" });
      link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
      document.body.appendChild(link); link.click(); link.remove();
    });
    document.getElementById("export-message").textContent =
      fmt(T.exported, { n: rows.length, parts: parts.length });
  }

  if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
  renderList();
  openDb().then(function (db) { state.db = db; return refreshStored(); })
    .catch(function (e) { gps.textContent = T.storage_error + e; });
  window.kehoachPack = { ready: true, sites: SITES.length };
  // Ready once the first frame with the map and the list has been painted.
  requestAnimationFrame(function () {
    setTimeout(function () {
      document.body.setAttribute("data-ready-ms", String(Math.round(performance.now())));
      document.body.setAttribute("data-ready", "1");
    }, 0);
  });
})();
