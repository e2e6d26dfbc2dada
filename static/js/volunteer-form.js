// The volunteer form, enhanced. Everything here is optional: the form works without it.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }
  // A link in the summary moves focus to its field, not just the scroll position.
  if (summary) {
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      field.focus();
      var container = field.closest("fieldset") || field.closest(".mb-3") || field;
      container.scrollIntoView({ block: "start" });
    });
  }
  // One application per click: the server ignores a second send anyway.
  var form = document.getElementById("volunteer-form");
  if (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type='submit']");
      if (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      }
    });
  }
})();
