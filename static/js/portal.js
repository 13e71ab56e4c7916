/* The header's 长辈模式 switch and text-size step, and read-aloud (speechSynthesis, zh-CN).
   State lives in the portal_elder cookie (a year), read before paint by static/js/elder.js. */
(function () {
  var root = document.documentElement;
  var YEAR = 365 * 24 * 3600;

  function setLevel(level) {
    if (level) {
      document.cookie = "portal_elder=" + level + "; path=/; max-age=" + YEAR + "; SameSite=Lax";
    } else {
      document.cookie = "portal_elder=; path=/; max-age=0; SameSite=Lax";
    }
    root.classList.toggle("elder", level > 0);
    root.classList.toggle("text-2x", level === 2);
    sync();
  }

  function level() {
    return root.classList.contains("elder") ? (root.classList.contains("text-2x") ? 2 : 1) : 0;
  }

  function sync() {
    var current = level();
    document.querySelectorAll("[data-elder-toggle]").forEach(function (button) {
      button.setAttribute("aria-pressed", current > 0 ? "true" : "false");
    });
    document.querySelectorAll("[data-elder-size]").forEach(function (button) {
      button.setAttribute("aria-pressed", current === 2 ? "true" : "false");
    });
  }

  document.querySelectorAll("[data-elder-toggle]").forEach(function (button) {
    button.addEventListener("click", function () { setLevel(level() ? 0 : 1); });
  });
  document.querySelectorAll("[data-elder-size]").forEach(function (button) {
    button.addEventListener("click", function () { setLevel(level() === 2 ? 1 : 2); });
  });
  sync();

  // Read-aloud: a button names the element whose text it reads (data-read-aloud="#id").
  var speech = window.speechSynthesis;
  var buttons = document.querySelectorAll("[data-read-aloud]");
  if (!speech || typeof SpeechSynthesisUtterance === "undefined") {
    buttons.forEach(function (button) { button.hidden = true; });
    return;
  }
  var playing = null;
  function stop() {
    speech.cancel();
    if (playing) playing.setAttribute("aria-pressed", "false");
    playing = null;
  }
  buttons.forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var wasPlaying = playing === button;
      stop();
      if (wasPlaying) return;
      var target = document.querySelector(button.getAttribute("data-read-aloud"));
      if (!target) return;
      var utterance = new SpeechSynthesisUtterance(target.innerText.trim());
      utterance.lang = "zh-CN";
      utterance.rate = 0.9;
      utterance.onend = function () { if (playing === button) stop(); };
      playing = button;
      button.setAttribute("aria-pressed", "true");
      root.setAttribute("data-reading", "true");
      speech.speak(utterance);
    });
  });
})();
