/* Open reports on the shipped boundaries: child areas coloured by open reports, points by severity.
 * Tooltips are DOM elements filled with text nodes, never HTML strings: area and category names
 * come from imports and admins, and must render as text (stored XSS). */
(function () {
  var el = document.getElementById("incident-map");
  if (!el) { return; }
  var area = el.dataset.area;
  var drill = el.dataset.drill === "1";
  var openWord = el.dataset.wordOpen || "", pointsWord = el.dataset.wordPoints || "";
  var severityColour = { 1: "#7cb342", 2: "#fdd835", 3: "#fb8c00", 4: "#c62828" };
  var colour = SinergiMap.scale([[0, "#eceff1"], [1, "#ffe0b2"], [5, "#ffb74d"], [20, "#f57c00"], [50, "#bf360c"]]);

  function tooltip(title, detail) {
    var box = document.createElement("span");
    var strong = document.createElement("b");
    strong.textContent = String(title);
    box.appendChild(strong);
    if (detail) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(String(detail)));
    }
    return box;
  }

  fetch("/laporan/peta/data/?area=" + encodeURIComponent(area), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var counts = data.counts || {};
      var url = "/api/v1/areas/" + encodeURIComponent(area) + "/boundaries?children=" + (drill ? "true" : "false");
      var m = SinergiMap.choropleth(el, url, {
        value: function (f) { return counts[f.properties.code] || 0; },
        color: function (v) { return colour(v); },
        label: function (f) { return tooltip(f.properties.name, SinergiMap.number(counts[f.properties.code] || 0) + " " + openWord); },
        onClick: function (f) { if (drill) { window.location = "?area=" + encodeURIComponent(f.properties.code); } },
        legend: [["#eceff1", "0"]].concat(SinergiMap.bands([[1, "#ffe0b2"], [5, "#ffb74d"], [20, "#f57c00"], [50, "#bf360c"]], "", true))
      });
      var markers = (data.points || []).map(function (p) {
        return L.circleMarker([p.lat, p.lng], { radius: 4 + p.severity, color: "#263238", weight: 1, fillOpacity: 0.9,
                                          fillColor: severityColour[p.severity] || "#999", className: "report-point" })
          .bindTooltip(tooltip("#" + p.id, p.category + " (" + p.state + ")"))
          .on("click", function () { window.location = "/laporan/" + encodeURIComponent(p.id) + "/"; })
          .addTo(m.map);
      });
      // The boundaries arrive after the points: keep the points on top so they can be hovered.
      if (m.ready) { m.ready.then(function () { markers.forEach(function (marker) { marker.bringToFront(); }); }); }
      var total = Object.keys(counts).reduce(function (s, k) { return s + counts[k]; }, 0);
      document.getElementById("map-summary").textContent = SinergiMap.number(total) + " " + openWord + " · " + SinergiMap.number((data.points || []).length) + " " + pointsWord;
      el.dataset.points = String((data.points || []).length);
    });
})();
