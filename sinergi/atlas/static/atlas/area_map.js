/* The area page map: children (or the desa itself) coloured by TPS count; a click drills down. */
(function () {
  var el = document.getElementById("area-map");
  if (!el) { return; }
  var code = el.dataset.code;
  var isVillage = el.dataset.level === "desa_kelurahan";
  var stops = [[0, "#e3f2fd"], [50, "#90caf9"], [200, "#42a5f5"], [1000, "#1e88e5"], [5000, "#0d47a1"]];
  var color = SinergiMap.scale(stops);
  var m = SinergiMap.choropleth(el, "/api/v1/areas/" + encodeURIComponent(code) + "/boundaries?children=" + (isVillage ? "false" : "true"), {
    value: function (f) { return f.properties.tps_count; },
    color: function (v) { return color(v); },
    label: function (f) {
      return SinergiMap.tip(f.properties.name, [SinergiMap.number(f.properties.tps_count) + " TPS · DPT " + SinergiMap.number(f.properties.dpt_total)]);
    },
    onClick: function (f) { if (!isVillage) { window.location = "/wilayah/" + encodeURIComponent(f.properties.code) + "/"; } },
    legend: isVillage ? null : SinergiMap.bands(stops, "TPS", true)
  });
  m.ready.then(function (data) { if (!data.features.length) { document.getElementById("map-empty").hidden = false; } });
})();
