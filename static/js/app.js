// chatadmin's shell script: toasts for messages that arrive with htmx responses, and copy
// buttons for shortened ids (`data-copy-value`: the full value). Loaded with the CSP nonce.
(function () {
  "use strict";

  function showToast(level, text) {
    var region = document.getElementById("toasts");
    var template = document.getElementById("toast-template");
    if (!region || !template) { return; }
    var toast = template.content.firstElementChild.cloneNode(true);
    toast.classList.add("toast--" + (level || "info"));
    toast.querySelector(".toast__text").textContent = text;
    toast.querySelector(".toast__close").addEventListener("click", function () { toast.remove(); });
    region.appendChild(toast);
    // Errors stay until dismissed; the rest fade after a while.
    if (level !== "error") {
      window.setTimeout(function () { toast.remove(); }, 8000);
    }
  }

  // Copy buttons beside shortened ids: hidden until this script runs (they need it).
  function enableIdCopy(root) {
    if (!root || !root.querySelectorAll) { return; }
    root.querySelectorAll("[data-copy-value]").forEach(function (button) { button.hidden = false; });
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var field = document.createElement("textarea");
      field.value = text;
      field.setAttribute("readonly", "");
      field.className = "visually-hidden";
      document.body.appendChild(field);
      field.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
      field.remove();
      if (copied) { resolve(); } else { reject(new Error("copy blocked")); }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy-value]");
    if (!button) { return; }
    var done = button.getAttribute("data-copied") || "Copied.";
    copyText(button.getAttribute("data-copy-value")).then(function () {
      button.classList.add("is-copied");
      window.setTimeout(function () { button.classList.remove("is-copied"); }, 1500);
      showToast("success", done);
    }, function () {
      showToast("error", "Copying is blocked here: select the value and press Ctrl+C (or ⌘C).");
    });
  });

  document.addEventListener("htmx:load", function (event) { enableIdCopy(event.detail.elt); });
  document.addEventListener("DOMContentLoaded", function () { enableIdCopy(document); });

  document.addEventListener("messages", function (event) {
    var items = (event.detail && event.detail.value) || [];
    items.forEach(function (item) { showToast(item.level, item.text); });
  });

  // A failed htmx request (network down, 5xx) must not look like nothing happened. Only what
  // trying again can fix says "try again": a refusal (403) or a lost session (401) does not.
  function failureText(status) {
    if (status === 401) { return "Your session ended. Sign in again to go on."; }
    if (status === 403) { return "You are not allowed to do this, so nothing was changed."; }
    if (status === 404) { return "That is not there any more. Reload the page to see what is."; }
    return "The server answered with an error (" + status + "). Nothing was changed; try again.";
  }
  document.addEventListener("htmx:responseError", function (event) {
    showToast("error", failureText(event.detail.xhr.status));
  });
  document.addEventListener("htmx:sendError", function () {
    showToast("error", "Could not reach chatadmin. Check your connection and try again.");
  });
})();
