// The token pages' script (loaded with the CSP nonce; no inline script anywhere):
// - the wizard's landing page: read a testing token from the URL fragment, check its state,
//   show it once and take it out of the address bar;
// - the production result page: take the code out of the address bar;
// - copy buttons; the count and confirmation of a bulk revoke; progress when leaving for Chat.
(function () {
  "use strict";

  function say(level, text) {
    // app.js turns these into toasts (the same event htmx responses use).
    document.dispatchEvent(new CustomEvent("messages", { detail: { value: [{ level: level, text: text }] } }));
  }

  function show(root, name) {
    root.querySelectorAll("[data-landing]").forEach(function (section) {
      section.hidden = section.getAttribute("data-landing") !== name;
    });
  }

  function fill(root, name, value) {
    root.querySelectorAll('[data-landing-field="' + name + '"]').forEach(function (element) {
      element.textContent = value;
    });
  }

  function duration(seconds) {
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.round((seconds % 3600) / 60);
    if (hours >= 48) { return "about " + Math.round(hours / 24) + " days"; }
    var parts = [];
    if (hours) { parts.push(hours + (hours === 1 ? " hour" : " hours")); }
    if (minutes || !hours) { parts.push(minutes + (minutes === 1 ? " minute" : " minutes")); }
    return parts.join(" ");
  }

  function utcMinute(moment) {
    function two(number) { return (number < 10 ? "0" : "") + number; }
    return moment.getUTCFullYear() + "-" + two(moment.getUTCMonth() + 1) + "-" + two(moment.getUTCDate()) +
      " " + two(moment.getUTCHours()) + ":" + two(moment.getUTCMinutes());
  }

  function readFragment(root) {
    var fragment = window.location.hash.replace(/^#/, "");
    // First of all, take the token out of the address bar and this history entry.
    if (window.location.hash) {
      window.history.replaceState(null, "", window.location.pathname);
    }
    var answer = new URLSearchParams(fragment);
    var expected = root.getAttribute("data-expected-state") || "";
    if (!expected) { return show(root, "no-request"); }
    if (!fragment) { return show(root, "empty"); }
    if (answer.get("state") !== expected) { return show(root, "mismatch"); }
    var error = answer.get("error");
    if (error) {
      var known = root.querySelector('[data-landing-error="' + CSS.escape(error) + '"]');
      (known || root.querySelector('[data-landing-error=""]')).hidden = false;
      fill(root, "error", error);
      return show(root, "error");
    }
    var token = answer.get("access_token");
    if (!token) { return show(root, "empty"); }
    document.getElementById("landing-access-token").value = token;
    fill(root, "token_type", answer.get("token_type") || "Bearer");
    fill(root, "scope", answer.get("scope") || "—");
    var seconds = parseInt(answer.get("expires_in") || "", 10);
    // Said as the production mode's page says it: "2026-12-02 09:19 UTC (in 10 hours)".
    fill(root, "expires", isNaN(seconds) ? "not stated" : utcMinute(new Date(Date.now() + seconds * 1000)) + " UTC (in " + duration(seconds) + ")");
    show(root, "token");
    document.getElementById("landing-heading").focus();
  }

  function copy(button) {
    var id = button.getAttribute("data-copy");
    var field = document.getElementById(id);
    var status = document.querySelector('[data-copy-status="' + id + '"]');
    function done(text) { if (status) { status.textContent = text; } }
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(
        function () { done("Copied."); },
        function () { done("Press Ctrl+C (⌘C on a Mac) to copy the selected token."); }
      );
    } else {
      done("Press Ctrl+C (⌘C on a Mac) to copy the selected token.");
    }
  }

  function selectedCount() {
    return document.querySelectorAll("[data-token-checkbox]:checked").length;
  }

  function showCount() {
    var count = selectedCount();
    document.querySelectorAll("[data-selected-count]").forEach(function (element) {
      element.textContent = count ? " (" + count + ")" : "";
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (button) { copy(button); }
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-token-checkbox]")) { showCount(); }
  });
  document.addEventListener("htmx:afterSwap", showCount);

  // A bulk revoke asks with the number of tokens it is about to revoke.
  document.addEventListener("htmx:confirm", function (event) {
    if (!event.detail.elt.hasAttribute("data-bulk-revoke")) { return; }
    event.preventDefault();
    var count = selectedCount();
    if (!count) {
      say("warning", "Tick the tokens to revoke first.");
      return;
    }
    var noun = count === 1 ? "token" : "tokens";
    if (window.confirm("Revoke " + count + " selected " + noun + "? Apps that use them stop working at once.")) {
      event.detail.issueRequest(true);
    }
  });

  // Leaving for Zendesk Chat: say so, and block a second submit.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-leaves-page")) { return; }
    form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
    form.querySelectorAll("[data-leaving]").forEach(function (element) { element.classList.add("progress--on"); });
  });
  // Coming back with the Back button restores the page as it was left: usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("[data-leaves-page] button[type=submit]").forEach(function (button) { button.disabled = false; });
    document.querySelectorAll("[data-leaving]").forEach(function (element) { element.classList.remove("progress--on"); });
  });

  function start() {
    var landing = document.getElementById("implicit-landing");
    if (landing) { readFragment(landing); }
    if (document.querySelector("[data-clear-address]") && window.location.search) {
      // The code is spent; keep it out of the address bar and history all the same.
      window.history.replaceState(null, "", window.location.pathname);
    }
    showCount();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
