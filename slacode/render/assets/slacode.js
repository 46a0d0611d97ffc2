/* slacode: give Material's search dialog an accessible name (axe: aria-dialog-name). */
(function () {
  function nameSearch() {
    document.querySelectorAll(".md-search[role=dialog]").forEach(function (dialog) {
      if (dialog.hasAttribute("aria-label") || dialog.hasAttribute("aria-labelledby")) return;
      var input = dialog.querySelector("input");
      var label = input && (input.getAttribute("aria-label") || input.getAttribute("placeholder"));
      dialog.setAttribute("aria-label", label || "Search");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", nameSearch);
  } else {
    nameSearch();
  }
})();
/* slacode: a printed page shows every disclosure open (incident months, misses, daily
   tables); they close again after printing. */
(function () {
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.setAttribute("open", "");
      opened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.removeAttribute("open"); });
    opened = [];
  });
})();
