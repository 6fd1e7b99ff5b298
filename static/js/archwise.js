// Archwise's only script: small enhancements. Every page works without it.
// Loaded in <head> without defer so the "js" class is set before first paint; everything else
// listens on document, which already exists.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Copy link: the clipboard API where it is allowed (HTTPS, localhost), else select the text.
  function copyText(input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value);
    }
    input.focus();
    input.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var input = document.getElementById(button.dataset.copy);
    var status = document.getElementById(button.dataset.copyStatus);
    copyText(input).then(
      function () { status.textContent = "Link copied."; },
      function () {
        input.focus();
        input.select();
        status.textContent = "The link is selected: press Ctrl+C (or ⌘C) to copy it.";
      }
    );
  });

  // After htmx swaps in a wizard step, move focus to it, as a page load would: to the error
  // summary when there is one, else to the step's heading.
  document.addEventListener("htmx:load", function (event) {
    if (!event.detail.elt || event.detail.elt.id !== "wizard") return;
    var target = event.detail.elt.querySelector(".error-summary") || document.getElementById("step-title");
    if (target) target.focus({ preventScroll: true });
  });

  // Print every detail of a recommendation, not only the sections that happen to be open.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (details) { details.open = true; });
  });
})();
