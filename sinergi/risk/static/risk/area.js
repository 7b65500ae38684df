/* Risk area page: the round selector and the choropleth of the child areas.
 * Data comes from json_script blocks (risk-values, risk-labels) and data- attributes; every name is
 * put into the page as text (textContent / text nodes), never as HTML, so an area name with markup
 * stays text (strict CSP: this file replaces the page's inline script).
 */
(function () {
  "use strict";
  var picker = document.getElementById("round-picker");
  if (picker) {
    picker.addEventListener("change", function () { picker.form.submit(); });
  }
  var mapEl = document.getElementById("risk-map");
  var valuesEl = document.getElementById("risk-values");
  if (!mapEl || !valuesEl || !window.SinergiMap) { return; }
  var values = JSON.parse(valuesEl.textContent);
  var words = JSON.parse(document.getElementById("risk-labels").textContent);
  var colours = { rendah: "#aed581", sedang: "#ffca28", tinggi: "#e53935" };
  var round = mapEl.dataset.round;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  function show(code) {
    var v = values[code];
    var box = document.getElementById("breakdown");
    box.replaceChildren();
    if (!v) { box.appendChild(el("p", words.no_checklist, "muted")); return; }
    var title = el("h3", v.name);
    title.id = "breakdown-name";
    box.appendChild(title);
    var summary = el("p");
    summary.appendChild(document.createTextNode(words.index + " "));
    summary.appendChild(el("b", SinergiMap.number(v.index, 2)));
    summary.appendChild(document.createTextNode(" "));
    summary.appendChild(el("span", words[v.category] || v.category, "badge " + v.category));
    summary.appendChild(document.createTextNode(" · " + v.flagged + " " + words.flagged_of + " " + v.assessed + " " + words.assessed));
    box.appendChild(summary);
    var table = el("table");
    var head = el("tr");
    head.appendChild(el("th", words.variable));
    head.appendChild(el("th", words.tps, "num"));
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var body = el("tbody");
    v.by_variable.forEach(function (pair) {
      var row = el("tr");
      row.appendChild(el("td", pair[0]));
      row.appendChild(el("td", pair[1], "num"));
      body.appendChild(row);
    });
    table.appendChild(body);
    box.appendChild(table);
    var classes = Object.keys(v.by_class).map(function (k) { return (words[k] || k) + ": " + v.by_class[k]; }).join(" · ");
    box.appendChild(el("p", classes, "muted"));
    var link = el("a", words.open, "btn");
    link.href = "/kerawanan/wilayah/" + encodeURIComponent(code) + "/?putaran=" + encodeURIComponent(round);
    var p = el("p");
    p.appendChild(link);
    box.appendChild(p);
  }

  function tooltip(feature) {
    var v = values[feature.properties.code];
    var box = el("span");
    box.appendChild(el("b", feature.properties.name));
    if (v) {
      box.appendChild(el("br"));
      box.appendChild(document.createTextNode(words.index + " " + SinergiMap.number(v.index, 2) + " · " + (words[v.category] || v.category)));
    }
    return box;
  }

  window.SinergiMap.choropleth(mapEl, mapEl.dataset.boundaries, {
    value: function (f) { var v = values[f.properties.code]; return v ? v.category : null; },
    color: function (c) { return colours[c] || "#cfd8dc"; },
    label: tooltip,
    onClick: function (f) { show(f.properties.code); },
    legend: [[colours.rendah, words.rendah], [colours.sedang, words.sedang], [colours.tinggi, words.tinggi], ["#cfd8dc", words.none]]
  });
})();
