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
  var m = SinergiMap.choropleth(el, "/api/v1/areas/" + code + "/boundaries?children=true", {
    value: value,
    color: colour,
    label: function (f) {
      var layer = current(); var v = value(f);
      return SinergiMap.tip(f.properties.name, layer ? [layer.label + ": " + (v === undefined || v === null ? "–" : v) + " " + layer.unit] : []);
    },
    onClick: function (f) { window.location = "/situasi/" + f.properties.code + "/"; }
  });
  m.ready.then(function (data) { if (!data.features.length) { document.getElementById("map-empty").hidden = false; } });
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
    layer.scale.forEach(function (stop, i) {
      var next = layer.scale[i + 1];
      entry(stop[1], (next ? stop[0] + "–" + next[0] : "≥ " + stop[0]) + " " + layer.unit);
    });
    entry("#cfd8dc", legend.dataset.none || "tidak ada data");
  }
  drawLegend();
  if (select) { select.addEventListener("change", function () { m.restyle(); drawLegend(); }); }
})();
