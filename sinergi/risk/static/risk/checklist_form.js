/* Checklist form: a client id per form load, so a retried submission is stored once (strict CSP:
 * this replaces the page's inline script). */
(function () {
  "use strict";
  var el = document.getElementById("client-id");
  if (el && !el.value && window.crypto && crypto.randomUUID) { el.value = crypto.randomUUID(); }
})();
