/* Sinergi on every page (loaded in <head>, no inline script: CSP).
 * - The menu button: on a phone the menu, the language switch and the session links sit behind it.
 * - Tables with class "cards-on-phone": each cell without a data-label gets its column head as
 *   one, so that on a phone every row becomes a small card that names its fields. Rows that htmx
 *   swaps in later are labelled too.
 */
document.documentElement.classList.add("js");
(function () {
  function heads(table) {
    var row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    var names = [];
    if (!row) { return names; }
    Array.prototype.forEach.call(row.cells, function (cell) {
      for (var i = 0; i < (cell.colSpan || 1); i++) { names.push(cell.textContent.replace(/\s+/g, " ").trim()); }
    });
    return names;
  }
  function label(table) {
    var names = heads(table);
    if (!names.length) { return; }
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-label") && names[column]) { cell.setAttribute("data-label", names[column]); }
          column += cell.colSpan || 1;
        });
      });
    });
  }
  function labelWithin(root) {
    if (!root || !root.querySelectorAll) { return; }
    var own = root.closest ? root.closest("table.cards-on-phone") : null;
    if (own) { label(own); }
    Array.prototype.forEach.call(root.querySelectorAll("table.cards-on-phone"), label);
  }
  function menu() {
    var button = document.querySelector(".menu-toggle");
    if (!button) { return; }
    var bar = button.closest(".topbar");
    button.addEventListener("click", function () {
      var open = bar.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    menu();
    labelWithin(document.body);
  });
  document.addEventListener("htmx:load", function (event) { labelWithin(event.target); });
})();
