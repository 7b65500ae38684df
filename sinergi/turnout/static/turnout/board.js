/* The turnout board map: children coloured by turnout against the pace; a click opens the child's board.
 * Data comes from #turnout-map's data- attributes and the #turnout-map-text json_script block. */
(function () {
  var el = document.getElementById("turnout-map");
  if (!el) { return; }
  var code = el.dataset.code;
  var query = el.dataset.query || "";
  var apiQuery = el.dataset.apiQuery || "";
  var target = Number(el.dataset.target);
  var pace = Number(el.dataset.pace);
  var words = JSON.parse(document.getElementById("turnout-map-text").textContent);
  var values = {};
  var color = SinergiMap.scale([[0, "#ef9a9a"], [pace * 0.9, "#ffe082"], [pace, "#c5e1a5"], [target, "#2e7d32"]]);
  fetch("/api/v1/turnout/areas/" + encodeURIComponent(code) + "/children?" + apiQuery, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (rows) {
      rows.forEach(function (r) { values[r.code] = r; });
      SinergiMap.choropleth(el, "/api/v1/areas/" + encodeURIComponent(code) + "/boundaries?children=true", {
        value: function (f) { var v = values[f.properties.code]; return v ? v.turnout_pct : null; },
        color: function (v) { return color(v); },
        label: function (f) {
          var v = values[f.properties.code];
          var line = v && v.turnout_pct !== null
            ? SinergiMap.number(v.turnout_pct, 2) + " % · " + SinergiMap.number(v.reported_tps) + "/" + SinergiMap.number(v.expected_tps) + " TPS"
            : words.none;
          return SinergiMap.tip(f.properties.name, [line]);
        },
        onClick: function (f) { window.location = "/partisipasi/" + encodeURIComponent(f.properties.code) + "/?" + query; },
        legend: [["#ef9a9a", words.far_behind], ["#ffe082", words.behind], ["#c5e1a5", words.on_pace],
                 ["#2e7d32", words.above], ["#cfd8dc", words.missing]]
      });
    });
})();
