// API clients pages: copy buttons on the one-time secret reveal, focus and announcements after
// htmx swaps. Loaded with the CSP nonce; no inline script anywhere.
(function () {
  "use strict";

  // Copy buttons do nothing without JavaScript, so they stay hidden until this runs.
  function enableCopyButtons(root) {
    if (!root || !root.querySelectorAll) { return; }
    root.querySelectorAll("[data-copy]").forEach(function (button) { button.hidden = false; });
  }

  function selectContents(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) { return; }
    var status = document.querySelector("[data-copy-status]");
    var done = button.getAttribute("data-copied") || "Copied.";
    function say(text) { if (status) { status.textContent = text; } }
    function byHand() {
      selectContents(source);
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
      say(copied ? done : "Copying is blocked here: the text is selected, press Ctrl+C (or ⌘C).");
    }
    var text = source.textContent.trim();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { say(done); }, byHand);
    } else {
      byHand();
    }
  });

  // After a swap of a whole page region, move focus to its first error, else its heading, so
  // keyboard and screen-reader users land on what changed.
  document.addEventListener("htmx:afterSettle", function (event) {
    var region = event.target;
    if (!region || region.id !== "client-page") { return; }
    var landing = region.querySelector(".form-errors, .field-error") || region.querySelector("h1");
    if (landing) {
      if (!landing.hasAttribute("tabindex")) { landing.setAttribute("tabindex", "-1"); }
      landing.focus();
    }
  });

  // The list's filters keep focus in the search box; say how many clients match instead.
  document.addEventListener("htmx:afterSettle", function (event) {
    var region = event.target;
    var announce = document.getElementById("clients-announce");
    if (region && region.id === "clients" && announce) {
      announce.textContent = region.getAttribute("data-announce") || "";
    }
  });

  // Leaving the reveal wipes the secret from the page, so the back/forward cache never keeps
  // a copy of it (the server's answer already carries Cache-Control: no-store).
  window.addEventListener("pagehide", function () {
    var secret = document.getElementById("reveal-client-secret");
    if (!secret) { return; }
    secret.textContent = "(hidden: a secret is shown only once)";
    document.querySelectorAll("[data-copy='reveal-client-secret']").forEach(function (button) {
      button.remove();
    });
  });

  document.addEventListener("htmx:load", function (event) { enableCopyButtons(event.detail.elt); });
  document.addEventListener("DOMContentLoaded", function () { enableCopyButtons(document); });
})();

// The list's "select every client on this page" box, and the row menus (one open at a time,
// closed by Escape or a click elsewhere). Without JavaScript the boxes work one by one.
(function () {
  "use strict";

  function wireSelectAll(root) {
    if (!root || !root.querySelectorAll) { return; }
    root.querySelectorAll("[data-select-all]").forEach(function (box) {
      box.hidden = false;
      var name = box.getAttribute("data-select-all");
      box.addEventListener("change", function () {
        box.closest("form").querySelectorAll("input[type=checkbox][name='" + name + "']").forEach(function (item) {
          item.checked = box.checked;
        });
      });
    });
  }

  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary) { summary.focus(); }
    });
  });
  document.addEventListener("htmx:load", function (event) { wireSelectAll(event.detail.elt); });
  document.addEventListener("DOMContentLoaded", function () { wireSelectAll(document); });
})();
