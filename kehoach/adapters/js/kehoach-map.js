/* Draw the district map: panes, base layers, legend, sites, overlays and drafts.
 *
 * Served with the app next to Leaflet; the Python side (kehoach/adapters/mapview.py and
 * friends) only passes data: every call is KhMap.<name>(map, config) with JSON config.
 * Text in the config is already HTML-escaped by the Python side.
 */
(function (global) {
  "use strict";

  var KhMap = {};

  /* --- frame: attribution, scale, legend (collapsible), one fit of the view ------------- */

  KhMap.frame = function (map, cfg) {
    cfg.attribution.forEach(function (a) { map.attributionControl.addAttribution(a); });
    L.control.scale({imperial: false}).addTo(map);
    var Legend = L.Control.extend({
      options: {position: "bottomright"},
      onAdd: function () {
        var div = L.DomUtil.create("div", "kh-legend");
        div.innerHTML = cfg.legend;
        KhMap.makeCollapsible(div);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      }
    });
    var legend = new Legend().addTo(map), fitted = {view: null, layout: null};
    function legendWidth() { return legend.getContainer().offsetWidth + 16; }
    function viewKey() { return map.getCenter().toString() + "@" + map.getZoom(); }
    function layoutKey() { return map.getSize().x + "x" + map.getSize().y + "/" + legendWidth(); }
    function fit() {
      // On a wide map, keep the district clear of the legend; on a narrow one, keep it large.
      var size = map.getSize(), width = legendWidth();
      var wide = width > 16 && size.x - width >= 0.6 * size.x;
      map.fitBounds(cfg.bounds, {paddingTopLeft: [6, 6],
        paddingBottomRight: [wide ? width : 6, 6], animate: false});
      fitted = {view: viewKey(), layout: layoutKey()};
    }
    function refit() {
      // An embedding frame (st_folium) may resize the map, or style the legend late, after
      // load: fit again while the user has not moved the view, and only if sizes changed.
      if (viewKey() === fitted.view && layoutKey() !== fitted.layout) { fit(); }
    }
    fit();
    map.on("resize", refit);
    if (global.ResizeObserver) {
      new ResizeObserver(refit).observe(legend.getContainer());
      // The frame may size the map's div after Leaflet measured it: tell Leaflet (→ resize).
      new ResizeObserver(function () { map.invalidateSize({animate: false}); })
        .observe(map.getContainer());
    }
    return legend;
  };

  /* Let the legend's title fold and unfold its body (a small screen needs the map). */
  KhMap.makeCollapsible = function (div) {
    var title = div.querySelector(".kh-legend-title");
    if (!title) { return; }
    title.setAttribute("role", "button");
    title.setAttribute("tabindex", "0");
    title.setAttribute("aria-expanded", "true");
    function toggle() {
      var collapsed = div.classList.toggle("kh-legend-collapsed");
      title.setAttribute("aria-expanded", collapsed ? "false" : "true");
    }
    title.addEventListener("click", toggle);
    title.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(); }
    });
  };

  /* --- base layers: panes, background, district, wards with labels, streets ------------- */

  KhMap.base = function (map, cfg) {
    map.getContainer().classList.add("kh-map");
    cfg.panes.forEach(function (p) {
      var pane = map.getPane(p[0]) || map.createPane(p[0]);
      pane.style.zIndex = p[1];
      if (!p[2]) { pane.style.pointerEvents = "none"; }
    });
    var base = L.svg({pane: "khBase"}), roads = L.svg({pane: "khStreets"});
    var outline = L.svg({pane: "khOutline"});
    var fixed = {interactive: false, bubblingMouseEvents: false};
    L.geoJSON(cfg.district, L.extend({renderer: base, pane: "khBase", style: {
      className: "kh-district-fill", stroke: false, fillColor: "#ffffff",
      fillOpacity: cfg.districtFill}}, fixed)).addTo(map);
    L.geoJSON(cfg.wards, L.extend({renderer: base, pane: "khBase", style: {
      className: "kh-ward", color: cfg.wardColor, weight: 2, opacity: 0.7, dashArray: "6 4",
      fill: false}}, fixed)).addTo(map);
    L.geoJSON(cfg.streets, L.extend({renderer: roads, pane: "khStreets", style: function (f) {
      var main = f.properties.m === 1;
      return {className: main ? "kh-street kh-main-street" : "kh-street",
        color: f.properties.c, weight: main ? 6 : 2.5, opacity: main ? 0.95 : 0.85};
    }}, fixed)).addTo(map);
    L.geoJSON(cfg.district, L.extend({renderer: outline, pane: "khOutline", style: {
      className: "kh-district", color: cfg.districtColor, weight: 4, opacity: 0.9,
      fill: false}}, fixed)).addTo(map);
    cfg.labels.forEach(function (w) {
      L.marker(w[0], {pane: "khLabels", interactive: false, keyboard: false,
        icon: L.divIcon({className: "kh-ward-label", iconSize: [0, 0],
          html: "<span>" + w[1] + "</span>"})}).addTo(map);
    });
  };

  /* --- sites: one GeoJSON layer on a canvas, a shape per kind, a colour per status ------ */

  function installShapes() {
    if (L.Canvas.prototype._khShape) { return; }
    L.Canvas.include({
      _khShape: function (layer) {
        if (!this._drawing || layer._empty()) { return; }
        var p = layer._point, x = p.x, y = p.y, ctx = this._ctx, i, a;
        var r = Math.max(layer._radius, 1);
        ctx.beginPath();
        switch (layer.options.shape) {
          case "square": ctx.rect(x - r, y - r, 2 * r, 2 * r); break;
          case "diamond":
            ctx.moveTo(x, y - 1.3 * r); ctx.lineTo(x + 1.3 * r, y);
            ctx.lineTo(x, y + 1.3 * r); ctx.lineTo(x - 1.3 * r, y); ctx.closePath(); break;
          case "triangle":
            ctx.moveTo(x, y - 1.25 * r); ctx.lineTo(x + 1.15 * r, y + 0.85 * r);
            ctx.lineTo(x - 1.15 * r, y + 0.85 * r); ctx.closePath(); break;
          case "pennant":
            ctx.moveTo(x - 1.15 * r, y - 0.85 * r); ctx.lineTo(x + 1.15 * r, y - 0.85 * r);
            ctx.lineTo(x, y + 1.25 * r); ctx.closePath(); break;
          case "hexagon":
            for (i = 0; i < 6; i++) {
              a = Math.PI / 3 * i;
              ctx[i ? "lineTo" : "moveTo"](x + r * Math.cos(a), y + r * Math.sin(a));
            }
            ctx.closePath(); break;
          default: ctx.arc(x, y, r, 0, 2 * Math.PI, false);
        }
        this._fillStroke(ctx, layer);
      }
    });
    L.KhMarker = L.CircleMarker.extend({
      _updateBounds: function () {
        var r = this._radius * 1.35 + this._clickTolerance(), p = [r, r];
        this._pxBounds = new L.Bounds(this._point.subtract(p), this._point.add(p));
      },
      _updatePath: function () { this._renderer._khShape(this); }
    });
  }

  /* Return the Leaflet style of a site from its properties {s, k, d} (indexes into cfg). */
  KhMap.siteStyle = function (p, isPoint, cfg) {
    var color = cfg.colors[p.s], faded = p.s === cfg.removed;
    if (!isPoint) {
      return {color: color, weight: 6, opacity: faded ? 0.4 : (p.d ? 0.6 : 0.9),
        dashArray: p.k === cfg.flagLine ? "10 6" : (p.d ? "2 5" : null),
        lineCap: p.k === cfg.flagLine ? "butt" : "round"};
    }
    return {fillColor: color, fillOpacity: faded ? 0.35 : 0.95,
      color: p.d ? cfg.demoOutline : "#ffffff", weight: p.d ? 1.6 : 1.2,
      opacity: faded ? 0.6 : 1, dashArray: p.d ? "3 2" : null};
  };

  /* Return the tooltip's HTML for a site (code and name are escaped by the Python side). */
  KhMap.siteTip = function (p, cfg) {
    return (p.d ? cfg.demo + " " : "") + "<b>" + p.c + "</b> " + p.n +
      "<br>" + cfg.kinds[p.k] + " · " + cfg.statuses[p.s];
  };

  /* Return [lon, lat] from integer coordinates counted from cfg.origin in 1/cfg.scale. */
  KhMap.lonLat = function (x, y, cfg) {
    var s = cfg.scale;
    return [Math.round(cfg.origin[0] * s + x) / s, Math.round(cfg.origin[1] * s + y) / s];
  };

  /* Return [lon, lat] pairs from flat integer steps [x0, y0, dx1, dy1, ...]. */
  KhMap.stepsToPairs = function (steps, cfg) {
    var out = new Array(steps.length / 2), x = 0, y = 0;
    for (var i = 0; i < steps.length; i += 2) {
      x += steps[i]; y += steps[i + 1];
      out[i / 2] = KhMap.lonLat(x, y, cfg);
    }
    return out;
  };

  function pairsToLatLngs(pairs) {
    return pairs.map(function (p) { return L.latLng(p[1], p[0]); });
  }

  /* Rows: [id, status, kind, demo, code, name, x, y] for a point, and
   * [id, status, kind, demo, code, name, line] for a stretch, where line is flat integer
   * steps or a list of them (a MultiLineString); see KhMap.lonLat. */
  KhMap.sites = function (map, cfg, rows) {
    installShapes();
    var renderer = L.canvas({pane: "khSites", tolerance: 4});
    if (cfg.places.length) {
      var places = L.featureGroup();
      cfg.places.forEach(function (p) {
        L.circleMarker(p[0], {renderer: renderer, radius: 4, color: cfg.placeColor, weight: 2,
          fillColor: "#ffffff", fillOpacity: 1})
          .bindTooltip(p[1], {direction: "top", className: "kh-tip"}).addTo(places);
      });
      places.addTo(map);
    }
    // One GeoJSON layer; its layers are built from the rows and styled once, directly
    // (addData would copy and restyle every layer's options a second time).
    var sites = L.geoJSON(null, {renderer: renderer, pane: "khSites"});
    for (var i = 0, r, p, layer, multi, at, pairs; i < rows.length; i++) {
      r = rows[i];
      p = r[3] ? {id: r[0], s: r[1], k: r[2], d: 1, c: r[4], n: r[5]}
        : {id: r[0], s: r[1], k: r[2], c: r[4], n: r[5]};
      if (r.length > 7) {
        at = KhMap.lonLat(r[6], r[7], cfg);
        layer = new L.KhMarker(L.latLng(at[1], at[0]), L.extend({renderer: renderer,
          shape: cfg.shapes[r[2]], radius: cfg.radius[r[2]]}, KhMap.siteStyle(p, true, cfg)));
        layer.feature = {type: "Feature", properties: p,
          geometry: {type: "Point", coordinates: at}};
      } else {
        multi = Array.isArray(r[6][0]);
        pairs = multi ? r[6].map(function (s) { return KhMap.stepsToPairs(s, cfg); })
          : KhMap.stepsToPairs(r[6], cfg);
        layer = L.polyline(multi ? pairs.map(pairsToLatLngs) : pairsToLatLngs(pairs),
          L.extend({renderer: renderer}, KhMap.siteStyle(p, false, cfg)));
        layer.feature = {type: "Feature", properties: p, geometry:
          {type: multi ? "MultiLineString" : "LineString", coordinates: pairs}};
      }
      sites.addLayer(layer);
    }
    sites.bindTooltip(function (l) {
      var el = document.createElement("div");
      el.innerHTML = KhMap.siteTip(l.feature.properties, cfg);
      return el;
    }, {sticky: true, direction: "auto", className: "kh-tip"});
    sites.addTo(map);
    global.khSites = sites;
    requestAnimationFrame(function () { global.__khSitesDrawn = performance.now(); });
    if (cfg.selected) { KhMap.selected(map, cfg.selected, cfg.selectedColor); }
    return sites;
  };

  /* A ring around a selected point; a wide translucent band over a selected stretch. */
  KhMap.selected = function (map, geometry, color) {
    var ring = L.svg({pane: "khSelected"});
    var point = geometry.type === "Point";
    return L.geoJSON(geometry, {renderer: ring, interactive: false,
      style: function () {
        return {className: "kh-selected", color: color, fill: false,
          weight: point ? 4 : 14, opacity: point ? 0.9 : 0.4};
      },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, {renderer: ring, radius: 13, interactive: false});
      }}).addTo(map);
  };

  /* --- overlays: gaps, routes, a chosen street; each adds a legend row ------------------ */

  KhMap.overlay = function (map, cfg) {
    var pane = map.getPane(cfg.pane) || map.createPane(cfg.pane);
    pane.style.zIndex = cfg.z;
    var layer = L.geoJSON(cfg.lines, {pane: cfg.pane, renderer: L.svg({pane: cfg.pane}),
      interactive: cfg.tips, style: function () { return cfg.style; }});
    if (cfg.tips) {
      layer.bindTooltip(function (l) { return l.feature.properties.tip; },
        {sticky: true, direction: "top", className: "kh-tip"});
    }
    layer.addTo(map);
    var section = map.getContainer().querySelector(".kh-legend-layers");
    if (section) {
      section.insertAdjacentHTML("beforeend", cfg.legend);
    } else {
      var Box = L.Control.extend({options: {position: "bottomleft"}, onAdd: function () {
        var div = L.DomUtil.create("div", "kh-legend");
        div.innerHTML = cfg.legend;
        return div;
      }});
      new Box().addTo(map);
    }
    return layer;
  };

  /* --- a draft geometry: the points a user picked and the snapped stretch --------------- */

  KhMap.draft = function (map, cfg) {
    // Its own pane, deaf to the pointer: the sites underneath stay clickable.
    var pane = map.getPane("khDraft") || map.createPane("khDraft");
    pane.style.zIndex = 425;
    pane.style.pointerEvents = "none";
    var renderer = L.svg({pane: "khDraft"}), group = L.featureGroup();
    cfg.points.forEach(function (p) {
      L.circleMarker([p[1], p[0]], {renderer: renderer, pane: "khDraft", radius: 9,
        color: cfg.color, weight: 3, fill: true, fillOpacity: 0.35, interactive: false,
        className: "kh-draft"}).addTo(group);
    });
    if (cfg.line) {
      L.geoJSON(cfg.line, {renderer: renderer, pane: "khDraft", interactive: false,
        style: {className: "kh-draft", color: cfg.color, weight: 7, opacity: 0.85}})
        .addTo(group);
    }
    return group.addTo(map);
  };

  global.KhMap = KhMap;
})(window);
