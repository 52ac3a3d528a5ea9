// chatadmin's only script: toasts for messages that arrive with htmx responses.
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

  document.addEventListener("messages", function (event) {
    var items = (event.detail && event.detail.value) || [];
    items.forEach(function (item) { showToast(item.level, item.text); });
  });

  // A failed htmx request (network down, 5xx) must not look like nothing happened.
  document.addEventListener("htmx:responseError", function (event) {
    showToast("error", "The server answered with an error (" + event.detail.xhr.status + "). Nothing was changed; try again.");
  });
  document.addEventListener("htmx:sendError", function () {
    showToast("error", "Could not reach chatadmin. Check your connection and try again.");
  });
})();
