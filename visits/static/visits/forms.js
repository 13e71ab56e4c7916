/* A form button marked data-once is disabled after the first tap, so a slow network does not
   tempt a second submission (the server also refuses a repeated token). */
(function () {
  "use strict";
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[data-once]").forEach(function (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });
}());
