/* In-place editing with htmx (the plan page and other pages built the same way).
   Pages work without this file: every link and form also has a plain href/action.
   - An edit conflict (HTTP 409) and a rejected form (HTTP 400) are swapped in place like a
     success, so the user sees the answer where they typed; a save of something removed
     meanwhile (HTTP 410) brings the page that keeps what was typed in place of the page's
     content; other errors are not swapped, but said above the form, which keeps what was
     typed (a save whose session ended gets a 401 with a link to log in in a new tab; the
     next save sends the security token the browser holds then).
   - A save announces itself: the server sends `HX-Trigger: {"kam:announce": "…"}` and the text
     goes to the page's polite live region (#live-status) for screen readers.
   - Focus: a form that opens gets focus in its first field through `autofocus` (htmx honours it
     on swap); after a save, focus goes to the replaced block's heading without scrolling, so
     the page stays where the user was; a save answered with one row (no heading) puts it back
     on that row's "Edit" link, where the user started; Cancel puts it back on the link that
     opened the editor (Cancel carries `data-inplace-cancel`).
   - A save on the plan moves its revision: the answer's `kam:plan-revision` event updates the
     workflow forms' hidden revision (`input[data-plan-revision]`). */
(function () {
  "use strict";
  if (!window.htmx) return;
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "409", swap: true, error: false },
    { code: "400", swap: true, error: false },
    // Saved after someone removed the thing (audit/removed.py): the page that keeps what was
    // typed replaces the page's content (it names #main as its target).
    { code: "410", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
  ];
  // The form's security token, as the browser holds it now: logging in again in another tab
  // gives a new one, and the token printed in a form opened before would be refused (403).
  document.body.addEventListener("htmx:configRequest", function (event) {
    var formData = event.detail.formData;
    if (!formData || !formData.has("csrfmiddlewaretoken")) return;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) formData.set("csrfmiddlewaretoken", decodeURIComponent(match[1]));
  });

  // An answer that is not swapped (the session ended: 401; refused; the server or the network
  // failed) is said where the person clicked; the form stays as typed. A 401 brings its own
  // text (kam.middleware.SessionEndedInPlaceMiddleware), the others the page's.
  function reportFailure(event, ownText) {
    var elt = event.detail.elt;
    if (!elt || !elt.isConnected) return;
    var form = elt.closest("form");
    var box = document.createElement("div");
    box.className = "alert alert-danger";
    box.setAttribute("role", "alert");
    box.setAttribute("data-request-failed", "");
    if (ownText) box.innerHTML = ownText; // our own server's short HTML (a text and a link)
    else box.textContent = document.body.getAttribute("data-request-failed") || "";
    var old = (form || elt.parentElement).querySelector("[data-request-failed]");
    if (old) old.remove();
    // Beside the button that was pressed, where the person is looking.
    var button = form && form.querySelector("button[type=submit], input[type=submit]");
    var anchor = button && button.parentElement !== form ? button.parentElement : button;
    if (anchor) anchor.insertAdjacentElement("beforebegin", box);
    else if (form) form.insertBefore(box, form.firstChild);
    else elt.insertAdjacentElement("afterend", box);
    box.scrollIntoView({ block: "nearest" });
  }
  document.body.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    reportFailure(event, xhr && xhr.status === 401 ? xhr.responseText : "");
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    reportFailure(event, "");
  });
  // A later answer that is swapped takes the report away with the old form; one that is not
  // swapped replaces it above.

  // Keep the scroll position: htmx must not scroll to the swapped element by itself.
  htmx.config.defaultFocusScroll = false;
  // The Content-Security-Policy allows no style attributes; htmx would copy them while settling
  // a re-rendered form (same ids), and the browser would refuse it in the console.
  htmx.config.attributesToSettle = ["class", "width", "height"];

  document.body.addEventListener("kam:announce", function (event) {
    var region = document.getElementById("live-status");
    if (!region) return;
    var text = event.detail && event.detail.value !== undefined ? event.detail.value : "";
    // Cleared first so that the same words twice in a row are still read out.
    region.textContent = "";
    window.setTimeout(function () { region.textContent = String(text); }, 50);
  });

  // A save in place moved the plan's revision: the page's workflow forms (submit, approve,
  // return) take the new one, so the user's own edit is not a conflict for their next decision.
  document.body.addEventListener("kam:plan-revision", function (event) {
    var revision = event.detail && event.detail.value;
    if (revision === undefined) return;
    document.querySelectorAll("input[data-plan-revision]").forEach(function (input) {
      input.value = String(revision);
    });
  });

  // The link that opened the editor now open ("Edit", "Add …"): Cancel puts focus back on it,
  // drawn again in the block that comes back, so the user is where they started.
  var opened = null;
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var link = event.detail.elt;
    if (!link || link.tagName !== "A" || !link.hasAttribute("data-hx-get")) return;
    if (link.hasAttribute("data-inplace-cancel")) return;
    opened = { url: link.getAttribute("data-hx-get"), text: link.textContent };
  });

  function openerIn(block) {
    if (!opened) return null;
    var links = Array.prototype.filter.call(
      block.querySelectorAll("a[data-hx-get]"),
      function (link) { return link.getAttribute("data-hx-get") === opened.url; }
    );
    // Two links may open the same editor (a meeting's "Edit meeting" and "add it"): its text.
    var same = links.filter(function (link) { return link.textContent === opened.text; });
    return same[0] || links[0] || null;
  }

  document.body.addEventListener("htmx:afterSettle", function (event) {
    var block = event.detail.elt;
    if (!block || !block.isConnected || !block.querySelector) return;
    if (block.querySelector("form [autofocus]")) return; // the form's first field has it
    if (block.contains(document.activeElement)) return;
    var config = event.detail.requestConfig;
    if (config && config.elt && config.elt.hasAttribute("data-inplace-cancel")) {
      var back = openerIn(block);
      if (back) {
        back.focus({ preventScroll: true });
        return;
      }
    }
    // The page's content (a 410's page) has its title; a block, its own heading.
    var heading = block.querySelector(block.id === "main" ? "h1" : "h2, h3");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
      return;
    }
    // A row: the link that opened its editor ("Edit"; a target's row also has "Add
    // measurement" before it), else its first link.
    var opener = openerIn(block) || block.querySelector("a[data-hx-get]");
    if (opener) opener.focus({ preventScroll: true });
  });
})();
