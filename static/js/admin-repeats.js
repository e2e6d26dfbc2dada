// The event form's repeat editor: shows only the fields the chosen repeat needs and a
// live preview of the dates (asked of the server, so it is exactly what saving gives).
// Without JavaScript every field is shown and the dates are listed after saving.
(function () {
  "use strict";

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  function row(name) {
    const field = document.querySelector(".field-" + name);
    return field ? field.closest(".form-row") || field : null;
  }

  function show(name, visible) {
    const element = row(name);
    if (element) {
      element.hidden = !visible;
    }
  }

  ready(function () {
    const preview = document.getElementById("repeat-preview");
    const repeats = document.getElementById("id_repeats");
    if (!preview || !repeats) {
      return;
    }
    const form = repeats.form;
    let timer = null;
    let asked = 0;

    function choice(name) {
      const checked = form.querySelector("input[name=" + name + "]:checked");
      return checked ? checked.value : "";
    }

    function arrange() {
      const value = repeats.value;
      const repeating = value !== "";
      const weekly = value === "weekly" || value === "fortnightly";
      const ends = choice("ends") || "after";
      show("weekdays", weekly);
      ["ends", "term_time_only", "preview", "skip", "cancel", "cancel_reason"].forEach(
        function (name) {
          show(name, repeating);
        },
      );
      show("repeat_sessions", repeating && value !== "keep" && ends === "after");
      show("ends_on", repeating && value !== "keep" && ends === "on");
    }

    function render(answer) {
      preview.replaceChildren();
      const summary = document.createElement("p");
      summary.className = "repeat-preview-summary";
      if (answer.errors && answer.errors.length) {
        answer.errors.forEach(function (message) {
          const error = document.createElement("p");
          error.className = "errornote";
          error.textContent = message;
          preview.append(error);
        });
      }
      if (!answer.dates.length) {
        return;
      }
      summary.textContent = answer.summary;
      preview.append(summary);
      const list = document.createElement("ul");
      list.className = "repeat-preview-dates";
      answer.dates.forEach(function (item) {
        const entry = document.createElement("li");
        entry.className = "repeat-date-" + item.state;
        entry.textContent = item.label;
        list.append(entry);
      });
      preview.append(list);
    }

    function ask() {
      const number = ++asked;
      const data = new FormData(form);
      data.delete("image"); // the preview needs the dates, not the upload
      fetch(preview.dataset.url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (answer) {
          if (answer && number === asked) {
            render(answer);
          }
        })
        .catch(function () {});
    }

    function changed() {
      arrange();
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 250);
    }

    form.addEventListener("change", changed);
    form.addEventListener("input", changed);
    arrange();
    ask();
  });
})();
