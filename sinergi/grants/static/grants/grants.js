// Grants pages: no inline script (the Content-Security-Policy allows only 'self').
(function () {
  "use strict";

  // The entry form shows only the fields the chosen kind of entry uses; the server validates either way.
  var form = document.getElementById("entry-form");
  if (form) {
    var uses = {disbursement: ["amount"], spending: ["amount", "category"], refund: ["amount"], correction: ["reverses_seq"]};
    var kind = form.querySelector("[name=kind]");
    var sync = function () {
      ["amount", "category", "reverses_seq"].forEach(function (name) {
        var row = form.querySelector("[data-field=" + name + "]");
        if (row) { row.hidden = (uses[kind.value] || []).indexOf(name) < 0; }
      });
    };
    if (kind) {
      kind.addEventListener("change", sync);
      sync();
    }
  }

  // The overview's election filter submits itself when the choice changes (a button without script).
  var filter = document.getElementById("election-filter");
  if (filter) {
    var select = filter.querySelector("select[name=pemilihan]");
    if (select) {
      select.addEventListener("change", function () { filter.submit(); });
    }
  }
})();
