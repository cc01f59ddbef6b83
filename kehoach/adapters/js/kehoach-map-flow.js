/* The daily flow's additions to the map (kehoach-map.js must load first).
 *
 * A map narrower than NARROW_PX starts with its legend folded, and fits its view above
 * it. A tap on sites that overlap at this zoom lists them in a small popup; choosing one
 * hands that site to streamlit-folium exactly as a tap on it alone does. Kept apart from
 * the drawing code: it wraps KhMap.frame and KhMap.sites and uses only their results. */
(function (global) {
  "use strict";
  var KhMap = global.KhMap;
  var NARROW_PX = 700, frame = KhMap.frame, drawSites = KhMap.sites;
  var POINTER = "click dblclick mousedown mouseup contextmenu";

  KhMap.frame = function (map, cfg) {
    var legend = frame(map, cfg), div = legend.getContainer();
    var title = div.querySelector(".kh-legend-title");
    if (map.getSize().x < NARROW_PX && title && !div.classList.contains("kh-legend-collapsed")) {
      title.click();  // folds it the way a tap does (aria-expanded too)
      legend.khFit();  // the view clears the folded legend (and follows it as it is styled)
    }
    return legend;
  };

  /* Return the point sites drawn under a container point, topmost first. */
  KhMap.sitesAt = function (map, layer, point) {
    return layer.sites().filter(function (view) {
      if (view.feature.geometry.type !== "Point") { return false; }
      var at = map.latLngToContainerPoint(view.getLatLng());
      var reach = (view.options.radius || 6) * 1.3 + (layer.options.tolerance || 0);
      return Math.abs(at.x - point.x) <= reach && Math.abs(at.y - point.y) <= reach;
    }).reverse();
  };

  KhMap.chooseSite = function (map, layer, views, latlng, heading) {
    var box = L.DomUtil.create("div", "kh-chooser");
    box.innerHTML = "<div class='kh-chooser-title'>" + heading + "</div>";
    views.forEach(function (view) {
      var p = view.feature.properties, button = L.DomUtil.create("button", "kh-choice", box);
      button.type = "button";
      button.style.cssText = "display:block;width:100%;min-height:44px;margin:2px 0;" +
        "text-align:left;cursor:pointer";
      button.innerHTML = "<b>" + p.c + "</b> " + p.n;  // escaped by the Python side
      button.setAttribute("data-site-id", p.id);
      L.DomEvent.on(button, "click", function (e) {
        L.DomEvent.stop(e);
        map.closePopup();
        layer.fire("click", {latlng: latlng, layer: view, sourceTarget: view, originalEvent: e});
      });
    });
    return L.popup({className: "kh-chooser-popup", maxWidth: 280})
      .setLatLng(latlng).setContent(box).openOn(map);
  };

  KhMap.sites = function (map, cfg, rows) {
    var layer = drawSites(map, cfg, rows), canvas = layer._container, plain = layer._onClick;
    if (!canvas) { return layer; }
    L.DomEvent.off(canvas, POINTER, plain, layer);
    layer._onClick = function (e) {
      if (e.type === "click") {
        var views = KhMap.sitesAt(map, layer, map.mouseEventToContainerPoint(e));
        if (views.length > 1) {
          L.DomEvent.stop(e);
          KhMap.chooseSite(map, layer, views, map.mouseEventToLatLng(e), cfg.chooseSite || "");
          return;
        }
      }
      plain.call(layer, e);
    };
    L.DomEvent.on(canvas, POINTER, layer._onClick, layer);
    return layer;
  };
})(window);
