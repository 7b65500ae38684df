/* Posts of a deployment plan as circles on an empty Leaflet map (no tiles: intranet-safe). */
(function () {
  var el = document.getElementById("posts-map");
  if (!el) { return; }
  var map = L.map(el, { zoomSnap: 0.25 });
  map.attributionControl.setPrefix("Leaflet");
  fetch(el.dataset.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
    var layer = L.geoJSON(data, {
      pointToLayer: function (f, latlng) {
        var p = f.properties, short = p.short[0] + p.short[1] + p.short[2];
        return L.circleMarker(latlng, { radius: 3 + Math.sqrt(p.tps) * 1.5, weight: 1, color: "#263238",
          fillColor: short ? "#e53935" : "#43a047", fillOpacity: 0.75 });
      },
      onEachFeature: function (f, lyr) {
        var p = f.properties;
        lyr.bindTooltip("<b>Pos " + p.number + "</b> · " + p.kecamatan + "<br>" + p.cls.replace("_", " ") + " · " + p.tps +
          " TPS<br>" + p.unit + "<br>P/T/L: " + p.demand.join("/") + " (kurang " + p.short.join("/") + ")");
      }
    }).addTo(map);
    var b = layer.getBounds();
    if (b.isValid()) { map.fitBounds(b); } else { map.setView([-0.4, 116.9], 8); }
    el.dataset.features = String(data.features.length);
  });
})();
