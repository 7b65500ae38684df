/* Open reports on the shipped boundaries: child areas coloured by open reports, points by severity. */
(function () {
  var el = document.getElementById("incident-map");
  if (!el) { return; }
  var area = el.dataset.area;
  var drill = el.dataset.drill === "1";
  var severityColour = { 1: "#7cb342", 2: "#fdd835", 3: "#fb8c00", 4: "#c62828" };
  var colour = SinergiMap.scale([[0, "#eceff1"], [1, "#ffe0b2"], [5, "#ffb74d"], [20, "#f57c00"], [50, "#bf360c"]]);
  fetch("/laporan/peta/data/?area=" + encodeURIComponent(area), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var counts = data.counts || {};
      var m = SinergiMap.choropleth(el, "/api/v1/areas/" + area + "/boundaries?children=" + (drill ? "true" : "false"), {
        value: function (f) { return counts[f.properties.code] || 0; },
        color: function (v) { return colour(v); },
        label: function (f) { return "<b>" + f.properties.name + "</b><br>" + (counts[f.properties.code] || 0) + " laporan terbuka"; },
        onClick: function (f) { if (drill) { window.location = "?area=" + f.properties.code; } },
        legend: [["#eceff1", "0"], ["#ffe0b2", "1–4"], ["#ffb74d", "5–19"], ["#f57c00", "20–49"], ["#bf360c", "≥ 50"]]
      });
      (data.points || []).forEach(function (p) {
        L.circleMarker([p.lat, p.lng], { radius: 4 + p.severity, color: "#263238", weight: 1, fillOpacity: 0.9,
                                          fillColor: severityColour[p.severity] || "#999", className: "report-point" })
          .bindTooltip("#" + p.id + " " + p.category + " (" + p.state + ")")
          .on("click", function () { window.location = "/laporan/" + p.id + "/"; })
          .addTo(m.map);
      });
      var total = Object.keys(counts).reduce(function (s, k) { return s + counts[k]; }, 0);
      document.getElementById("map-summary").textContent = total + " laporan terbuka · " + (data.points || []).length + " titik";
      el.dataset.points = String((data.points || []).length);
    });
})();
