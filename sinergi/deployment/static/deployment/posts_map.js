/* Posts of a deployment plan as circles on an empty Leaflet map (no tiles: intranet-safe).
   Tooltips are built from text nodes: unit and kecamatan names are data, never markup. */
(function () {
  var el = document.getElementById("posts-map");
  if (!el) { return; }
  var classes = JSON.parse(el.dataset.classes || "{}");

  function line(parent, text) {
    if (parent.childNodes.length) { parent.appendChild(document.createElement("br")); }
    parent.appendChild(document.createTextNode(text));
  }

  function tooltipFor(p) {
    var box = document.createElement("div");
    var head = document.createElement("b");
    head.textContent = (el.dataset.wordPost || "") + " " + p.number;
    box.appendChild(head);
    box.appendChild(document.createTextNode(" · " + p.kecamatan));
    line(box, (classes[p.cls] || p.cls) + " · " + new Intl.NumberFormat(document.documentElement.lang || "id").format(p.tps) + " TPS");
    line(box, p.unit);
    line(box, "P/T/L: " + p.demand.join("/") + " (" + (el.dataset.wordShort || "") + " " + p.short.join("/") + ")");
    return box;
  }

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
        lyr.bindTooltip(tooltipFor(f.properties));
      }
    }).addTo(map);
    var b = layer.getBounds();
    if (b.isValid()) { map.fitBounds(b); } else { map.setView([-0.4, 116.9], 8); }
    el.dataset.features = String(data.features.length);
  });
})();
