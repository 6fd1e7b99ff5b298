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

  // What-if toggles (GET forms that htmx submits): one is pressed at a time, and pressing it
  // again, or "Put it back", clears its result. Without JavaScript each opens the what-if page.
  var CLEARED = "What-if cleared: back to the recommendation as saved.";
  function clearWhatIf(message) {
    document.querySelectorAll(".whatif-toggle .toggle").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    document.querySelectorAll(".whatif__result").forEach(function (r) { r.textContent = ""; });
    var status = document.getElementById("whatif-status");
    if (status && message) status.textContent = message;
  }
  document.addEventListener("DOMContentLoaded", function () { clearWhatIf(""); });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!form.classList.contains("whatif-toggle")) return;
    if (form.querySelector(".toggle").getAttribute("aria-pressed") !== "true") return;
    event.preventDefault();
    clearWhatIf(CLEARED);
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    // A what-if that cannot be tried (400) explains why in place.
    var target = event.detail.target;
    if (target && target.classList.contains("whatif__result") && event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var form = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!form || !form.classList.contains("whatif-toggle")) return;
    var target = event.detail.target;
    document.querySelectorAll(".whatif__result").forEach(function (r) { if (r !== target) r.textContent = ""; });
    document.querySelectorAll(".whatif-toggle .toggle").forEach(function (b) { b.setAttribute("aria-pressed", String(form.contains(b))); });
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-whatif-clear]")) return;
    var pressed = document.querySelector('.whatif-toggle .toggle[aria-pressed="true"]');
    clearWhatIf(CLEARED);
    if (pressed) pressed.focus();  // the button that had focus is gone with the result
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
  // Print every detail of a recommendation, not only the sections that happen to be open.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (details) { details.open = true; });
  });
})();
