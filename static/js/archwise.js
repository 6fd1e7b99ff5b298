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
  // A change made to a shared draft from another screen arrives by polling: it waits while
  // someone is typing a number or text here, and keeps their focus where it was.
  var focusedId = null;
  var openNotes = {};
  var own = new Set();  // this page's own wizard requests in flight (a step sent, a change saved)
  function isSync(elt) { return elt && elt.classList && elt.classList.contains("draft-sync"); }
  document.addEventListener("htmx:beforeSend", function (event) {
    if (!isSync(event.detail.elt) && event.detail.elt.closest("#wizard")) own.add(event.detail.xhr);
  });
  ["htmx:afterRequest", "htmx:sendAbort", "htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, function (event) { own.delete(event.detail.xhr); });
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (!isSync(event.detail.elt)) return;
    if (own.size > 0) {  // this page is changing the draft itself: its own answer comes back
      event.preventDefault();
      return;
    }
    if (document.hidden) {  // a tab in the background asks again once it is looked at
      event.preventDefault();
      return;
    }
    var active = document.activeElement;
    if (active && active.matches("#wizard-form input[type=number], #wizard-form input[type=text], #wizard-form textarea")) {
      event.preventDefault();
      return;
    }
    focusedId = active && active.id ? active.id : null;
    // The notes the reader opened or closed stay so when the step comes back.
    openNotes = {};
    document.querySelectorAll("#wizard details.qnote").forEach(function (details) { openNotes[details.id] = details.open; });
  });
  // A poll answered after this page moved on (a step submitted, or its own change saved and a
  // newer version noted) describes a page no longer shown: it is dropped.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var from = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (isSync(from) && (own.size > 0 || !document.body.contains(from))) {
      event.detail.shouldSwap = false;
    }
  });
  document.addEventListener("htmx:load", function (event) {
    if (!event.detail.elt || event.detail.elt.id !== "wizard") return;
    if (event.detail.elt.hasAttribute("data-synced")) {
      event.detail.elt.querySelectorAll("details.qnote").forEach(function (details) {
        if (details.id in openNotes) details.open = openNotes[details.id];
      });
      var again = focusedId && document.getElementById(focusedId);
      if (again) again.focus({ preventScroll: true });
      return;
    }
    // A clash with a change made elsewhere may come while the reader is far down the step.
    var clash = event.detail.elt.querySelector(".clash");
    if (clash) {
      clash.focus();
      return;
    }
    var target = event.detail.elt.querySelector(".error-summary") || document.getElementById("step-title");
    if (target) target.focus({ preventScroll: true });
  });

  // What-if on the recommendation page. A toggle (a GET form htmx submits) adds its change to
  // those applied (#whatif-applied, sent along); #whatif then shows the what-if's state, and the
  // first screen and the diagram show the what-if, marked as not saved. Pressing a pressed toggle
  // again, or "Take back", removes its change; "Put it all back" restores the page as saved.
  // Without JavaScript each toggle opens the what-if page.
  var saved = null;  // [region, its HTML as saved], kept when the first what-if arrives
  var keepFocus = false;  // a toggle took its change back: focus stays on it
  function isWhatIf(elt) { return elt && elt.id === "whatif"; }
  function keepSaved() {
    if (saved) return;
    saved = [];
    document.querySelectorAll("[data-whatif-region]").forEach(function (region) { saved.push([region, region.innerHTML]); });
  }
  function restoreSaved() {
    if (saved) saved.forEach(function (pair) { pair[0].innerHTML = pair[1]; });
    var applied = document.getElementById("whatif-applied");
    if (applied) applied.textContent = "";
  }
  function appliedKeys() {
    var keys = {};
    var applied = document.getElementById("whatif-applied");
    if (!applied) return keys;
    var names = applied.querySelectorAll('input[name="answer"]');
    var values = applied.querySelectorAll('input[name="value"]');
    names.forEach(function (name, index) { keys[name.value + "=" + values[index].value] = true; });
    return keys;
  }
  function markPressed() {
    var keys = appliedKeys();
    document.querySelectorAll(".whatif-toggle").forEach(function (form) {
      var key = form.elements.answer.value + "=" + form.elements.value.value;
      form.querySelector(".toggle").setAttribute("aria-pressed", String(Boolean(keys[key])));
    });
  }
  function clearBoxes() {
    document.querySelectorAll(".whatif__result").forEach(function (box) { box.textContent = ""; });
  }
  var CLEARED = "What-if put back: the page shows the recommendation as saved.";
  function clearWhatIf(message) {
    restoreSaved();
    clearBoxes();
    var state = document.getElementById("whatif");
    if (state) state.textContent = "";
    markPressed();
    var status = document.getElementById("whatif-status");
    if (status && message) status.textContent = message;
  }
  document.addEventListener("DOMContentLoaded", markPressed);
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!form.classList.contains("whatif-toggle")) return;
    if (form.querySelector(".toggle").getAttribute("aria-pressed") !== "true") return;
    // A pressed toggle takes its change back, as the state's "Take back" for it does.
    event.preventDefault();
    var back = document.querySelector('#whatif [data-whatif-remove="' + form.elements.answer.value + '"]');
    if (back && !back.hasAttribute("data-whatif-clear")) {
      keepFocus = true;
      back.click();
    } else {
      clearWhatIf(CLEARED);
    }
  });
  // A decision that cannot be recorded (400, or 429 over the limit) says why in place.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (event.detail.target && event.detail.target.id === "review" && (status === 400 || status === 429)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!isWhatIf(event.detail.target)) return;
    keepSaved();
    clearBoxes();
    if (event.detail.xhr.status === 400) {
      // A what-if that cannot be tried explains why; the page goes back to as saved.
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      restoreSaved();
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!isWhatIf(event.detail.target)) return;
    markPressed();
    // "Take back" is gone with the state it was in: focus goes to the new state.
    var from = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (keepFocus) {
      keepFocus = false;
    } else if (from && from.hasAttribute("data-whatif-remove")) {
      var title = document.getElementById("whatif-state-title");
      if (title) title.focus();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-whatif-clear]");
    if (!button) return;
    var inDecision = button.closest(".decision");
    var to = inDecision && (inDecision.querySelector('.toggle[aria-pressed="true"]') || inDecision.querySelector(".toggle"));
    clearWhatIf(CLEARED);
    // The button is gone with the what-if: focus goes where the reader was.
    (to || document.querySelector(".rec-head__title")).focus();
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
  // "Open every decision" for a review on a shared screen; pressed again, it closes them.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-open-all]");
    if (!button) return;
    var open = button.getAttribute("aria-pressed") !== "true";
    document.querySelectorAll(button.dataset.openAll).forEach(function (details) { details.open = open; });
    button.setAttribute("aria-pressed", String(open));
  });
  // Print every detail of a recommendation, not only the sections that happen to be open.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (details) { details.open = true; });
  });
})();
