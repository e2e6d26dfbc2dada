/* "Copy" buttons beside read-only addresses (the calendar feeds' page).
 *
 * Without JavaScript, or where the browser offers no clipboard, the buttons stay
 * hidden and the addresses stay selectable. A copy is announced in the field's live
 * region ("Copied"); if it fails, the address is selected for the visitor to copy.
 */
(function () {
  "use strict";

  function announce(status, text) {
    if (!status) {
      return;
    }
    // Emptied first, so the same words are announced again on a second copy.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text;
    }, 50);
  }

  function wire(button) {
    var field = document.getElementById(button.dataset.copyTarget);
    var status = document.getElementById(button.dataset.copyStatus);
    if (!field) {
      return;
    }
    field.addEventListener("focus", function () {
      field.select();
    });
    if (!navigator.clipboard || !window.isSecureContext) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () {
          announce(status, button.dataset.copied);
        },
        function () {
          field.focus();
          field.select();
          announce(status, button.dataset.copyFailed);
        }
      );
    });
  }

  document.querySelectorAll("[data-copy-target]").forEach(wire);
})();
