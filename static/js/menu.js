// The header's menu button on narrow screens opens and closes the menu. Bootstrap's
// styles draw it; its 60 KB of JavaScript (16.6 KB compressed, an eighth of the home
// page's first load) was here for this one button only. Without JavaScript the menu
// simply stays open (portal.css, `@media (scripting: none)`).
(function () {
  "use strict";
  var button = document.querySelector(".navbar-toggler[aria-controls]");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) {
    return;
  }
  function show(open) {
    menu.classList.toggle("show", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  button.addEventListener("click", function () {
    show(!menu.classList.contains("show"));
  });
  // Escape closes an open menu and gives the focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.classList.contains("show")) {
      show(false);
      button.focus();
    }
  });
})();
