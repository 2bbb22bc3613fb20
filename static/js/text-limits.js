// A counter under each textarea that has a limit (data-max-chars, set by common.limits.Textarea):
// "1,234 of 5,000 characters" ("1 234 sur 5 000 caractères"), red when over. The server refuses a longer text and keeps it in
// the form, so this only warns early; without JavaScript nothing is lost. Line breaks count
// twice, as the browser sends them (CR LF) and the server counts them.
(function () {
  "use strict";

  function count(text) {
    var newlines = (text.match(/\n/g) || []).length;
    return Array.from(text).length + newlines;
  }

  function attach(area) {
    if (area.dataset.limitCounter) return;
    area.dataset.limitCounter = "1";
    var limit = Number(area.dataset.maxChars);
    // The words come from the server in the page's language; numbers use its separators.
    var language = document.documentElement.lang || undefined;
    var counting = area.dataset.countText || "%(used)s of %(limit)s characters";
    var over = area.dataset.overText || counting;
    var note = document.createElement("div");
    note.className = "form-text";
    note.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", note);
    function update() {
      var used = count(area.value);
      note.textContent = (used > limit ? over : counting)
        .replace("%(used)s", used.toLocaleString(language))
        .replace("%(limit)s", limit.toLocaleString(language));
      note.classList.toggle("text-danger", used > limit);
    }
    area.addEventListener("input", update);
    update();
  }

  function scan(root) {
    root.querySelectorAll("textarea[data-max-chars]").forEach(attach);
  }

  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  // In-place editors arrive through htmx.
  document.addEventListener("htmx:load", function (event) { scan(event.target); });
})();
