/* Sinergi maps: draw shipped GeoJSON boundaries with Leaflet, no tile server.
 * SinergiMap.choropleth(element, url, {value: f => number|null, color: v => css, label: f => Node|text,
 *                                      onClick: f => void, legend: [[color, text], ...]})
 * Tooltips and legends are built from DOM nodes: a label that is a string is shown as text, never
 * parsed as HTML (area names come from imports). SinergiMap.tip(title, [line, ...]) builds the usual
 * bold-title-and-lines tooltip.
 * Numbers are written in the page's language (<html lang>): SinergiMap.number(70.98, 2) is "70,98" in
 * Indonesian and "70.98" in English; SinergiMap.bands(stops, unit) turns colour stops into legend
 * entries and drops a band that would be empty (two stops at the same value: "79,5–79,5 %").
 */
window.SinergiMap = (function () {
  function text(value) { return document.createTextNode(value === null || value === undefined ? "" : String(value)); }
  function tip(title, lines) {
    var box = document.createElement("div");
    var head = document.createElement("b");
    head.appendChild(text(title));
    box.appendChild(head);
    (lines || []).forEach(function (line) {
      if (line === null || line === undefined || line === "") { return; }
      box.appendChild(document.createElement("br"));
      box.appendChild(line instanceof Node ? line : text(line));
    });
    return box;
  }
  function language() { return document.documentElement.lang || "id"; }
  function number(value, decimals) {
    if (value === null || value === undefined || value === "" || isNaN(value)) { return "–"; }
    var places = decimals === undefined ? (Number(value) % 1 ? 2 : 0) : decimals;
    return new Intl.NumberFormat(language(), { minimumFractionDigits: decimals === undefined ? 0 : places,
                                               maximumFractionDigits: places }).format(Number(value));
  }
  function bands(stops, unit, counts) {
    /* stops: [[threshold, color], ...] ascending -> [[color, "0–49 TPS"], ..., [color, "≥ 5.000 TPS"]].
     * counts: whole numbers, so a band ends one below the next stop (0–49, 50–199). */
    var suffix = unit ? " " + unit : "";
    var entries = [];
    stops.forEach(function (stop, i) {
      var next = stops[i + 1];
      var low = Number(stop[0]);
      var high = next ? (counts ? Number(next[0]) - 1 : Number(next[0])) : null;
      if (next && (counts ? high < low : !(high > low))) { return; }  // an empty band: the next stop takes over
      var text = high === null ? "≥ " + number(low) : (high === low ? number(low) : number(low) + "–" + number(high));
      entries.push([stop[1], text + suffix]);
    });
    return entries;
  }
  function asNode(content) {
    if (content instanceof Node) { return content; }
    var span = document.createElement("span");
    span.textContent = content === null || content === undefined ? "" : String(content);
    return span;
  }
  function swatch(color) {
    var i = document.createElement("i");
    i.style.background = color;
    return i;
  }
  function choropleth(element, url, options) {
    options = options || {};
    var map = L.map(element, { zoomSnap: 0.25, attributionControl: true });
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution(document.documentElement.dataset.mapCredit || "cahyadsn/wilayah_boundaries (MIT)");
    var layer = null;
    function style(feature) {
      var value = options.value ? options.value(feature) : null;
      return { color: "#40515e", weight: 1, fillOpacity: 0.7,
               fillColor: options.color ? options.color(value, feature) : "#9ec5d8" };
    }
    function load(src) {
      return fetch(src, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
        if (layer) { map.removeLayer(layer); }
        layer = L.geoJSON(data, {
          style: style,
          onEachFeature: function (feature, lyr) {
            lyr.bindTooltip(asNode(options.label ? options.label(feature) : feature.properties.name), { sticky: true });
            lyr.on("click", function () { if (options.onClick) { options.onClick(feature, lyr); } });
            lyr.on("mouseover", function () { lyr.setStyle({ weight: 3 }); });
            lyr.on("mouseout", function () { lyr.setStyle({ weight: 1 }); });
          }
        }).addTo(map);
        var bounds = layer.getBounds();
        if (bounds.isValid()) { map.fitBounds(bounds); } else { map.setView([-2.5, 118], 5); }
        element.dataset.features = String((data.features || []).length);
        element.dispatchEvent(new CustomEvent("sinergi:map-loaded", { detail: data }));
        return data;
      });
    }
    if (options.legend) {
      var legend = L.control({ position: "bottomright" });
      legend.onAdd = function () {
        var div = L.DomUtil.create("div", "legend");
        options.legend.forEach(function (e, i) {
          if (i) { div.appendChild(document.createElement("br")); }
          div.appendChild(swatch(e[0]));
          div.appendChild(text(e[1]));
        });
        return div;
      };
      legend.addTo(map);
    }
    var ready = load(url);
    return { map: map, reload: function (src) { return load(src || url); }, restyle: function () { if (layer) { layer.setStyle(style); } }, ready: ready };
  }
  function scale(stops) {
    /* stops: [[threshold, color], ...] ascending; returns value -> color */
    return function (v) {
      if (v === null || v === undefined || isNaN(v)) { return "#cfd8dc"; }
      var c = stops[0][1];
      for (var i = 0; i < stops.length; i++) { if (v >= stops[i][0]) { c = stops[i][1]; } }
      return c;
    };
  }
  return { choropleth: choropleth, scale: scale, tip: tip, swatch: swatch, text: text, number: number, bands: bands };
})();
