/* Selects marked data-autosubmit submit their form when changed (no inline handlers under the CSP). */
(function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
