/* The report queue: "select all" for the bulk actions (no inline script: strict CSP). */
(function () {
  var all = document.getElementById("select-all");
  if (!all) { return; }
  all.addEventListener("change", function () {
    document.querySelectorAll("#queue-table input[name=ids]").forEach(function (box) { box.checked = all.checked; });
  });
})();
