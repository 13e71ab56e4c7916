/* The confirmation's copy button: puts the reference code on the clipboard. */
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.hidden = !navigator.clipboard;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copy).then(function () {
        var done = button.dataset.done;
        if (done) { button.textContent = done; }
      });
    });
  });
}());
