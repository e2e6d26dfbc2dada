// The volunteer and contact forms, enhanced. Everything here is optional: the forms work
// without it.
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
      // A question hidden until a role asks for it is shown before focus goes there.
      var hiddenParent = field.closest("[hidden]");
      if (hiddenParent) hiddenParent.hidden = false;
      event.preventDefault();
      field.focus();
      var container = field.closest("fieldset") || field.closest(".mb-3") || field;
      container.scrollIntoView({ block: "start" });
    });
  }
  // One send per click: the server ignores a second one anyway.
  Array.prototype.forEach.call(document.querySelectorAll("form.volunteer-form"), function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type='submit']");
      if (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      }
    });
  });

  // The DBS question, only for people who choose a role that needs a check. Without
  // JavaScript it stays in place and says whom it is for; the server asks for an answer
  // only when such a role is chosen. Focus stays on the checkbox being ticked (the
  // question appears after it, never where focus is) and a status message says so.
  var question = document.getElementById("dbs-question");
  var status = document.getElementById("dbs-status");
  var roles = document.querySelectorAll("input[type='checkbox'][name='roles']");
  if (!question || !roles.length) return;
  var messages = {
    shown: question.getAttribute("data-shown-message") || "",
    hidden: question.getAttribute("data-hidden-message") || ""
  };

  function needsCheck() {
    return Array.prototype.some.call(roles, function (box) {
      return box.checked && box.getAttribute("data-needs-dbs") === "true";
    });
  }

  function update(announce) {
    var show = needsCheck();
    var wasShown = !question.hidden;
    // Never hide what someone is answering.
    if (!show && question.contains(document.activeElement)) return;
    question.hidden = !show;
    if (announce && status && show !== wasShown) {
      status.textContent = show ? messages.shown : messages.hidden;
    }
  }

  // The status message lives outside the question, so it is heard when the question hides.
  if (status && question.contains(status)) {
    question.parentNode.insertBefore(status, question);
  }
  update(false);
  Array.prototype.forEach.call(roles, function (box) {
    box.addEventListener("change", function () { update(true); });
  });
})();
