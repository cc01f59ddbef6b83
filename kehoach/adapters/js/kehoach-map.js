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
    var legend = new Legend().addTo(map), fittedLayout = null, moved = false;
    var box = legend.getContainer();
    // Once the user pans, zooms or taps the map, the view is theirs: no fit after that.
    ["mousedown", "touchstart", "wheel", "keydown"].forEach(function (type) {
      map.getContainer().addEventListener(type, function () { moved = true; },
        {capture: true, passive: true});
    });
    function layoutKey() {
      return map.getSize().x + "x" + map.getSize().y + "/" + box.offsetWidth + "x" + box.offsetHeight;
    }
    function padding() {
      // Keep the district clear of the legend, beside it or above it, whichever shows the
      // district larger. A legend measured before its style arrived (as wide or as tall as
      // half the map) is ignored; its resize brings the fit back here.
      var size = map.getSize(), width = box.offsetWidth + 16, height = box.offsetHeight + 12;
      var choices = [], best = [6, 6], bestZoom = -Infinity;
      if (width < 0.5 * size.x) { choices.push([width, 6]); }
      if (height < 0.5 * size.y) { choices.push([6, height]); }
      choices.forEach(function (corner) {
        var zoom = map.getBoundsZoom(cfg.bounds, false, L.point(6 + corner[0], 6 + corner[1]));
        if (zoom > bestZoom) { best = corner; bestZoom = zoom; }
      });
      return best;
    }
    function fit() {
      map.fitBounds(cfg.bounds, {paddingTopLeft: [6, 6], paddingBottomRight: padding(),
        animate: false});
      fittedLayout = layoutKey();
    }
    function refit() {
      // An embedding frame (st_folium) may resize the map, or style the legend late, after
      // load: fit again while the user has not moved the view, and only if sizes changed.
      if (!moved && layoutKey() !== fittedLayout) { fit(); }
    }
    legend.khFit = fit;  // for scripts that change the legend on load (kehoach-map-flow.js)
    fit();
    map.on("resize", refit);
    if (global.ResizeObserver) {
      new ResizeObserver(refit).observe(box);
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

  /* --- sites: one canvas that draws every site in one pass ------------------------------
   *
   * 20,000 Leaflet layers (one per site) cost most of the page's drawing time; this
   * renderer keeps the sites as plain arrays, draws them in one pass, finds the site under
   * the pointer through a grid of cells, and still draws ordinary layers (the places). */

  var CELL = 32;  // px: the grid cell for hit-testing points
  var PATH_DEFAULTS = {stroke: true, lineCap: "round", lineJoin: "round", fillRule: "evenodd"};

  function dashes(text) {
    return text ? String(text).split(/[, ]+/).map(Number) : [];
  }

  /* Trace a site's shape (by kind) around (x, y) with radius r on ctx. */
  function traceShape(ctx, shape, x, y, r) {
    var i, a;
    switch (shape) {
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
  }

  /* Fill and stroke the current path; setting the context's style only when it changed
   * (parsing colours again for each of 20,000 sites is most of a pass's cost). */
  function fillStroke(ctx, o, last) {
    if (o !== last) {
      ctx.fillStyle = o.fill ? o.fillColor : "#000"; ctx.strokeStyle = o.color;
      ctx.setLineDash(o._dash); ctx.lineWidth = o.weight;
      ctx.lineCap = o.lineCap; ctx.lineJoin = o.lineJoin;
    }
    if (o.fill) { ctx.globalAlpha = o.fillOpacity; ctx.fill(o.fillRule); }
    ctx.globalAlpha = o.opacity; ctx.stroke();
    return o;
  }

  /* One site as a GeoJSON-like view: what a click hands to streamlit-folium. */
  function SiteView(layer, i) {
    var r = layer._rows[i], p = r[3] ? {id: r[0], s: r[1], k: r[2], d: r[3], c: r[4], n: r[5]}
      : {id: r[0], s: r[1], k: r[2], c: r[4], n: r[5]};
    var cfg = layer._cfg, point = r.length > 7, geometry;
    if (point) {
      geometry = {type: "Point", coordinates: KhMap.lonLat(r[6], r[7], cfg)};
    } else if (Array.isArray(r[6][0])) {
      geometry = {type: "MultiLineString",
        coordinates: r[6].map(function (s) { return KhMap.stepsToPairs(s, cfg); })};
    } else {
      geometry = {type: "LineString", coordinates: KhMap.stepsToPairs(r[6], cfg)};
    }
    this.feature = {type: "Feature", properties: p, geometry: geometry};
    this.options = layer._style(i);
  }
  SiteView.prototype.getLatLng = function () {
    var g = this.feature.geometry, c = g.type === "Point" ? g.coordinates
      : (g.type === "LineString" ? g.coordinates[0] : g.coordinates[0][0]);
    return L.latLng(c[1], c[0]);
  };
  SiteView.prototype.toGeoJSON = function () { return this.feature; };

  function installSitesCanvas() {
    if (L.KhSitesCanvas) { return; }
    L.KhSitesCanvas = L.Canvas.extend({
      initialize: function (rows, cfg, options) {
        L.Canvas.prototype.initialize.call(this, options);
        this._rows = rows; this._cfg = cfg; this._styles = {};
        var n = rows.length, lat = new Float64Array(n), lng = new Float64Array(n), at;
        var lines = [], r;
        for (var i = 0; i < n; i++) {
          r = rows[i];
          if (r.length > 7) {
            at = KhMap.lonLat(r[6], r[7], cfg); lng[i] = at[0]; lat[i] = at[1];
          } else {
            lat[i] = NaN;
            lines.push(i);
          }
        }
        this._lat = lat; this._lng = lng; this._lines = lines;
        this._x = new Float64Array(n); this._y = new Float64Array(n);
        this._paths = {};  // row index → projected parts of a stretch
      },

      /* Return the Leaflet-like style of row i (shared by every site of the same look). */
      _style: function (i) {
        var r = this._rows[i], point = r.length > 7;
        var key = r[1] + "/" + r[2] + "/" + r[3] + (point ? "p" : "l"), style = this._styles[key];
        if (!style) {
          style = L.extend({}, PATH_DEFAULTS, {fill: point},
            KhMap.siteStyle({s: r[1], k: r[2], d: r[3]}, point, this._cfg));
          if (point) {
            style.shape = this._cfg.shapes[r[2]]; style.radius = this._cfg.radius[r[2]];
          }
          style._dash = dashes(style.dashArray);
          this._styles[key] = style;
        }
        return style;
      },

      /* Project every site to layer pixels once per view, and index points in a grid. */
      _projectSites: function () {
        var map = this._map, zoom = map.getZoom(), origin = map.getPixelOrigin();
        var key = zoom + ":" + origin.x + ":" + origin.y;
        if (key === this._projectedFor) { return; }
        this._projectedFor = key;
        var lat = this._lat, lng = this._lng, x = this._x, y = this._y, p;
        for (var i = 0; i < lat.length; i++) {
          if (lat[i] !== lat[i]) { continue; }  // a stretch (NaN)
          p = map.project([lat[i], lng[i]], zoom);
          x[i] = p.x - origin.x; y[i] = p.y - origin.y;
        }
        this._grid = null;  // built on the first pointer move, not before the first frame
        var paths = {}, cfg = this._cfg;
        this._lines.forEach(function (i) {
          var steps = this._rows[i][6], multi = Array.isArray(steps[0]);
          paths[i] = (multi ? steps : [steps]).map(function (s) {
            return KhMap.stepsToPairs(s, cfg).map(function (c) {
              return map.latLngToLayerPoint([c[1], c[0]]);
            });
          });
        }, this);
        this._paths = paths;
      },

      _draw: function () {
        L.Canvas.prototype._draw.call(this);  // ordinary layers (places) underneath
        if (!this._map) { return; }
        this._projectSites();
        var ctx = this._ctx, rows = this._rows, b = this._redrawBounds || this._bounds;
        var pad = 20, style, r, parts, last = null;
        ctx.save();
        if (this._redrawBounds) {  // a partial redraw (a place restyled): stay inside it
          ctx.beginPath();
          ctx.rect(b.min.x, b.min.y, b.max.x - b.min.x, b.max.y - b.min.y);
          ctx.clip();
        }
        for (var i = 0; i < rows.length; i++) {
          style = this._style(i);
          if (rows[i].length > 7) {
            if (this._x[i] < b.min.x - pad || this._x[i] > b.max.x + pad ||
                this._y[i] < b.min.y - pad || this._y[i] > b.max.y + pad) { continue; }
            r = Math.max(style.radius, 1);
            ctx.beginPath();
            traceShape(ctx, style.shape, this._x[i], this._y[i], r);
          } else {
            parts = this._paths[i];
            ctx.beginPath();
            parts.forEach(function (part) {
              part.forEach(function (p, j) { ctx[j ? "lineTo" : "moveTo"](p.x, p.y); });
            });
          }
          last = fillStroke(ctx, style, last);
        }
        ctx.restore();
      },

      _gridOfPoints: function () {
        var grid = {}, x = this._x, y = this._y, lat = this._lat, cell;
        for (var i = 0; i < lat.length; i++) {
          if (lat[i] !== lat[i]) { continue; }
          cell = Math.floor(x[i] / CELL) + ":" + Math.floor(y[i] / CELL);
          (grid[cell] || (grid[cell] = [])).push(i);
        }
        return grid;
      },

      /* Return the index of the topmost site under a layer point, or -1. */
      _siteAt: function (point) {
        if (!this._projectedFor) { return -1; }
        this._grid = this._grid || this._gridOfPoints();
        var tol = this._clickTolerance(), best = -1, cx = Math.floor(point.x / CELL);
        var cy = Math.floor(point.y / CELL), dx, dy, ids, i, j, k, reach;
        for (dx = -1; dx <= 1; dx++) {
          for (dy = -1; dy <= 1; dy++) {
            ids = this._grid[(cx + dx) + ":" + (cy + dy)];
            for (k = 0; ids && k < ids.length; k++) {
              i = ids[k];
              reach = this._style(i).radius * 1.3 + tol;
              if (i > best && Math.abs(this._x[i] - point.x) <= reach &&
                  Math.abs(this._y[i] - point.y) <= reach) { best = i; }
            }
          }
        }
        if (best >= 0) { return best; }
        for (k = this._lines.length - 1; k >= 0; k--) {
          i = this._lines[k];
          reach = this._style(i).weight / 2 + tol;
          for (var parts = this._paths[i] || [], m = 0; m < parts.length; m++) {
            for (j = 1; j < parts[m].length; j++) {
              if (L.LineUtil.pointToSegmentDistance(point, parts[m][j - 1], parts[m][j]) <= reach) {
                return i;
              }
            }
          }
        }
        return -1;
      },

      _clickTolerance: function () { return this.options.tolerance || 0; },

      _onClick: function (e) {
        var i = this._siteAt(this._map.mouseEventToLayerPoint(e));
        if (i < 0 || (e.type !== "click" && e.type !== "preclick")) {
          L.Canvas.prototype._onClick.call(this, e);
          return;
        }
        this._fireEvent(false, e);  // the map still hears the click (a tap on the map)
        var view = new SiteView(this, i);
        this.fire("click", {latlng: this._map.mouseEventToLatLng(e), layer: view,
          sourceTarget: view, originalEvent: e});
      },

      _handleMouseHover: function (e, point) {
        var i = this._siteAt(point);
        if (i < 0) {
          this._hideTip();
          L.Canvas.prototype._handleMouseHover.call(this, e, point);
          return;
        }
        L.DomUtil.addClass(this._container, "leaflet-interactive");
        if (!this._tip) {
          this._tip = L.tooltip({sticky: true, direction: "auto", className: "kh-tip"});
        }
        if (i !== this._tipSite) {
          var el = document.createElement("div");
          el.innerHTML = KhMap.siteTip(new SiteView(this, i).feature.properties, this._cfg);
          this._tip.setContent(el);
          this._tipSite = i;
        }
        this._tip.setLatLng(this._map.mouseEventToLatLng(e));
        if (!this._map.hasLayer(this._tip)) { this._map.openTooltip(this._tip); }
      },

      _handleMouseOut: function (e) {
        this._hideTip();
        L.Canvas.prototype._handleMouseOut.call(this, e);
      },

      _hideTip: function () {
        if (this._tip && this._map && this._map.hasLayer(this._tip)) {
          this._map.closeTooltip(this._tip);
          L.DomUtil.removeClass(this._container, "leaflet-interactive");
        }
        this._tipSite = -1;
      },

      /* Return every site as a view (feature, style): for tests and tools, not per frame. */
      sites: function () {
        var out = new Array(this._rows.length);
        for (var i = 0; i < out.length; i++) { out[i] = new SiteView(this, i); }
        return out;
      },

      /* Return the pixel (in the map's container) where a site is drawn. */
      sitePoint: function (id) {
        for (var i = 0; i < this._rows.length; i++) {
          if (this._rows[i][0] === id) {
            return this._map.latLngToContainerPoint(new SiteView(this, i).getLatLng());
          }
        }
        return null;
      }
    });
  }

  /* Return the Leaflet style of a site from its properties {s, k, d} (indexes into cfg);
   * d is a bit set: 1 demo, 2 pending approval, 4 rejected. */
  KhMap.siteStyle = function (p, isPoint, cfg) {
    var demo = p.d & 1, pending = p.d & 2, rejected = p.d & 4;
    var color = rejected ? cfg.rejectedColor : cfg.colors[p.s];
    var faded = p.s === cfg.removed || rejected;
    if (!isPoint) {
      return {color: color, weight: 6, opacity: faded ? 0.4 : (demo || pending ? 0.6 : 0.9),
        dashArray: p.k === cfg.flagLine ? "10 6" : (demo || pending ? "2 5" : null),
        lineCap: p.k === cfg.flagLine ? "butt" : "round"};
    }
    if (rejected) {
      return {fillColor: color, fillOpacity: 0.3, color: color, weight: 1.2, opacity: 0.8,
        dashArray: "1 3"};
    }
    return {fillColor: color, fillOpacity: faded ? 0.35 : 0.95,
      color: pending ? cfg.pendingOutline : (demo ? cfg.demoOutline : "#ffffff"),
      weight: pending ? 2.2 : (demo ? 1.6 : 1.2),
      opacity: faded ? 0.6 : 1, dashArray: pending ? "4 2" : (demo ? "3 2" : null)};
  };

  /* Return the tooltip's HTML for a site (code and name are escaped by the Python side);
   * a pending or rejected new site says so instead of its work status. */
  KhMap.siteTip = function (p, cfg) {
    var state = p.d & 4 ? cfg.rejected : (p.d & 2 ? cfg.pending : cfg.statuses[p.s]);
    return (p.d & 1 ? cfg.demo + " " : "") + "<b>" + p.c + "</b> " + p.n +
      "<br>" + cfg.kinds[p.k] + " · " + state;
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

  /* Rows: [id, status, kind, demo, code, name, x, y] for a point, and
   * [id, status, kind, demo, code, name, line] for a stretch, where line is flat integer
   * steps or a list of them (a MultiLineString); see KhMap.lonLat. Rows come in drawing
   * order: stretches first, then points by status rank. */
  KhMap.sites = function (map, cfg, rows) {
    installSitesCanvas();
    var sites = new L.KhSitesCanvas(rows, cfg, {pane: "khSites", tolerance: 4});
    map.addLayer(sites);
    cfg.places.forEach(function (p) {
      L.circleMarker(p[0], {renderer: sites, radius: 4, color: cfg.placeColor, weight: 2,
        fillColor: "#ffffff", fillOpacity: 1})
        .bindTooltip(p[1], {direction: "top", className: "kh-tip"}).addTo(map);
    });
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
