// On a phone the plan's sections start folded, except the one the address points to (#actions,
// an open in-place form or an error), so the contents bar and headings fit a few screens.
// Without this script every section is open: the page works the same, only longer.
(function () {
  "use strict";
  var folds = document.querySelectorAll("details.plan-fold");
  function openFor(id) {
    var target = id && document.getElementById(id);
    var fold = target && target.closest("section.plan-section");
    var details = fold && fold.querySelector("details.plan-fold");
    if (details) details.open = true;
  }
  if (window.matchMedia("(max-width: 575.98px)").matches) {
    folds.forEach(function (details) {
      var busy = details.querySelector("form.plan-editor, .is-invalid, .alert");
      if (!busy) details.open = false;
    });
    openFor(decodeURIComponent(location.hash.slice(1)));
  }
  window.addEventListener("hashchange", function () {
    openFor(decodeURIComponent(location.hash.slice(1)));
  });
  document.querySelectorAll(".plan-contents a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function () { openFor(link.getAttribute("href").slice(1)); });
  });
})();
