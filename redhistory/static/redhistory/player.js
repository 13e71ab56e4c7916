/* Oral-history player: a segment link jumps the player to its start and plays.
   A static file (no inline script) so the Content-Security-Policy can forbid inline scripts.
   Links carry data-seek="<seconds>"; a page opened with #t=<seconds> starts there. */
(function () {
  "use strict";
  var player = document.querySelector("[data-player]");
  if (!player) {
    return;
  }

  function seek(seconds) {
    if (!isFinite(seconds) || seconds < 0) {
      return;
    }
    var jump = function () {
      player.currentTime = seconds;
      var playing = player.play();
      if (playing && playing.catch) {
        playing.catch(function () { /* autoplay refused: the position is still set */ });
      }
    };
    if (player.readyState >= 1) {
      jump();
    } else {
      player.addEventListener("loadedmetadata", jump, { once: true });
      player.load();
      player.currentTime = seconds;
    }
    document.querySelectorAll("[data-seek]").forEach(function (link) {
      link.classList.toggle("active", Number(link.dataset.seek) === seconds);
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-seek]");
    if (!link) {
      return;
    }
    event.preventDefault();
    seek(Number(link.dataset.seek));
    player.scrollIntoView({ behavior: "smooth", block: "center" });
    if (history.replaceState) {
      history.replaceState(null, "", "#t=" + link.dataset.seek);
    }
  });

  var match = /^#t=(\d+)$/.exec(window.location.hash);
  if (match) {
    seek(Number(match[1]));
  }
})();
