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
