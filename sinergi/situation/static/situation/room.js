/* The situation room map: children coloured by the measure chosen in #layer-select. */
(function () {
  var el = document.getElementById("situation-map");
  if (!el) { return; }
  var layers = JSON.parse(document.getElementById("layers-data").textContent);
  var select = document.getElementById("layer-select");
  var code = el.dataset.code;
  function current() { return layers.length ? layers[select ? Number(select.value) : 0] : null; }
  function colour(v) {
    var layer = current();
    if (!layer || !layer.scale.length) { return "#9ec5d8"; }
    return SinergiMap.scale(layer.scale)(v);
  }
  function value(f) { var layer = current(); return layer ? layer.values[f.properties.code] : null; }
  var points = JSON.parse((document.getElementById("tps-points") || { textContent: "[]" }).textContent);
  /* A desa has no children to colour: draw its own boundary and its TPS as points. */
  var village = el.dataset.level === "desa_kelurahan";
  var m = SinergiMap.choropleth(el, "/api/v1/areas/" + code + "/boundaries?children=" + (village ? "false" : "true"), {
    value: value,
    color: colour,
    label: function (f) {
      var layer = current(); var v = value(f);
      return SinergiMap.tip(f.properties.name, layer ? [layer.label + ": " + SinergiMap.number(v) + " " + layer.unit] : []);
    },
    onClick: function (f) { if (!village) { window.location = "/situasi/" + f.properties.code + "/"; } }
  });
  function drawPoints(data) {
    if (!points.length) { return; }
    var group = L.featureGroup(points.map(function (p) {
      return L.circleMarker([p.lat, p.lng], { radius: 6, color: "#1d4e89", weight: 2, fillColor: "#4f8fd6", fillOpacity: 0.9 })
        .bindTooltip(SinergiMap.tip(p.name, [p.code]));
    })).addTo(m.map);
    if (!data.features.length) { m.map.fitBounds(group.getBounds().pad(0.3), { maxZoom: 15 }); }
    el.dataset.points = String(points.length);
  }
  m.ready.then(function (data) {
    drawPoints(data);
    if (!data.features.length && !points.length) { document.getElementById("map-empty").hidden = false; el.hidden = true; }
  });
  var legend = document.getElementById("map-legend");
  function drawLegend() {
    var layer = current();
    if (!legend) { return; }
    legend.textContent = "";
    if (!layer || !layer.scale.length) { return; }
    function entry(color, label) {
      var span = document.createElement("span");
      span.appendChild(SinergiMap.swatch(color));
      span.appendChild(SinergiMap.text(label));
      legend.appendChild(span);
      legend.appendChild(SinergiMap.text(" "));
    }
    SinergiMap.bands(layer.scale, layer.unit).forEach(function (band) { entry(band[0], band[1]); });
    entry("#cfd8dc", legend.dataset.none || "tidak ada data");
  }
  drawLegend();
  if (select) { select.addEventListener("change", function () { m.restyle(); drawLegend(); }); }
})();
