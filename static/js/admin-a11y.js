// Accessible names for the controls Django's admin and its widgets leave unnamed.
//
// Django's tabular inlines and editable change lists put a field's label in the column
// header, not in a <label>; a file input sits in a fieldset whose legend is not its label;
// select2 (autocomplete) and Tiptap (the prose editor) build their controls in JavaScript.
// Screen readers, and axe, then meet controls with no name. This names each one from what
// a sighted person reads beside it, and keeps doing so as inlines are added and widgets
// start. Loaded on every admin page (templates/admin/base_site.html).
(function () {
  "use strict";

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").replace(/[:*]\s*$/, "").trim() : "";
  }

  function hasName(control) {
    if (control.getAttribute("aria-label") || control.getAttribute("aria-labelledby")) {
      return true;
    }
    if (control.id && document.querySelector('label[for="' + CSS.escape(control.id) + '"]')) {
      return true;
    }
    return Boolean(control.closest("label"));
  }

  // The column header above a table cell, and something that says which row it is.
  function tableName(control) {
    var cell = control.closest("td, th");
    var row = cell && cell.parentElement;
    var table = row && row.closest("table");
    if (!table) {
      return "";
    }
    var headers = table.querySelectorAll("thead tr:last-child th");
    var header = text(headers[Array.prototype.indexOf.call(row.children, cell)]);
    var label = row.querySelector("th a, th p, td.original p");
    var identity = text(label);
    if (!identity) {
      var rows = Array.prototype.filter.call(
        row.parentElement.children,
        function (r) { return !r.classList.contains("empty-form"); }
      );
      identity = "#" + (rows.indexOf(row) + 1);
    }
    return header ? header + " — " + identity : "";
  }

  function labelFor(selectId) {
    return text(document.querySelector('label[for="' + CSS.escape(selectId) + '"]'));
  }

  function nameControls(root) {
    root.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (control) {
      if (hasName(control)) {
        return;
      }
      var name = "";
      if (control.closest("#result_list, .tabular")) {
        name = tableName(control);
      }
      if (!name && control.closest("fieldset")) {
        name = text(control.closest("fieldset").querySelector("legend"));
      }
      if (!name && control.classList.contains("select2-search__field")) {
        var select = control.closest(".select2-container");
        var original = select && select.previousElementSibling;
        name = original && original.id ? labelFor(original.id) : "";
      }
      if (name) {
        control.setAttribute("aria-label", name);
      }
    });
    // select2's combobox names itself by its (empty) rendered choice.
    root.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      var container = box.closest(".select2-container");
      var original = container && container.previousElementSibling;
      if (original && original.id && !box.getAttribute("aria-label")) {
        var name = labelFor(original.id) || tableName(original);
        if (name) {
          box.setAttribute("aria-label", name);
          // …and its read-only "textbox" shows the choice, or nothing yet.
          var shown = box.querySelector(".select2-selection__rendered[role=textbox]");
          if (shown && !text(shown)) {
            shown.setAttribute("aria-label", name);
          }
        }
      }
    });
    // Tiptap's editable area: named by the label of the field it edits, and written in
    // that field's language and direction (an Arabic or Persian body runs right to left).
    root.querySelectorAll("[contenteditable=true]").forEach(function (editor) {
      var field = editor.closest(".form-row, td");
      var source = field && field.querySelector("textarea[lang], textarea[dir]");
      if (source) {
        ["lang", "dir"].forEach(function (name) {
          if (source.getAttribute(name) && !editor.getAttribute(name)) {
            editor.setAttribute(name, source.getAttribute(name));
          }
        });
      }
      if (editor.getAttribute("aria-label") || editor.getAttribute("aria-labelledby")) {
        return;
      }
      var row = field;
      var label = row && row.querySelector("label");
      var name = text(label) || (row && row.matches("td") ? tableName(editor) : "");
      if (name) {
        editor.setAttribute("aria-label", name);
      }
    });
    // SelectFilter's magnifier icon carries a label but no role that allows one.
    root.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function start() {
    nameControls(document);
    new MutationObserver(function () {
      nameControls(document);
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
