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
      ["ends", "term_time_only", "extra", "preview", "skip", "cancel", "cancel_reason"].forEach(
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

    // "Add an extra date" with the browser's own date and time pickers: each pick is
    // written into the box as a line the form reads (DD/MM/YYYY HH:MM), so the box
    // stays the one place the extra dates live (and works without this script).
    function extraPicker() {
      const box = document.getElementById("id_extra");
      if (!box) {
        return;
      }
      const labels = JSON.parse(box.dataset.pickerLabels || "{}");
      const picker = document.createElement("div");
      picker.className = "extra-date-picker";
      function field(type, id, text) {
        const label = document.createElement("label");
        label.htmlFor = id;
        label.textContent = text;
        const input = document.createElement("input");
        input.type = type;
        input.id = id;
        picker.append(label, input);
        return input;
      }
      const day = field("date", "extra-date-day", labels.date || "Date");
      const time = field("time", "extra-date-time", labels.time || "Time");
      const add = document.createElement("button");
      add.type = "button";
      add.className = "button";
      add.textContent = labels.add || "Add this date";
      picker.append(add);
      add.addEventListener("click", function () {
        if (!day.value) {
          day.focus();
          return;
        }
        const [year, month, date] = day.value.split("-");
        const line = date + "/" + month + "/" + year + (time.value ? " " + time.value : "");
        const lines = box.value.split("\n").filter(function (text) {
          return text.trim() !== "";
        });
        lines.push(line);
        box.value = lines.join("\n");
        box.dispatchEvent(new Event("input", { bubbles: true }));
      });
      box.after(picker);
    }

    form.addEventListener("change", changed);
    form.addEventListener("input", changed);
    extraPicker();
    arrange();
    ask();
  });
})();
