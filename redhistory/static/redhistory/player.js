/* Oral-history player. A static file (no inline script) so the Content-Security-Policy can
   forbid inline scripts.
   - Captions are on by default: the <track default> shows on a video; an audio element shows
     nothing itself, so the active cue is written into [data-caption] under the player (a button
     turns it off and on, and remembers the choice).
   - The segment and the transcript line being heard are marked as playback goes: links carry
     data-seek="<seconds>", transcript lines data-line="<index>" matching the cues' "line-<index>".
   - #t=<seconds> seeks there, on opening the page and whenever the address's hash changes. */
(function () {
  "use strict";
  var player = document.querySelector("[data-player]");
  if (!player) {
    return;
  }
  var captionLine = document.querySelector("[data-caption]");
  var toggle = document.querySelector("[data-caption-toggle]");
  var transcript = document.querySelector(".transcript.following");
  var links = Array.prototype.slice.call(document.querySelectorAll("[data-seek]"));
  var KEY = "portal.captions";
  var captionsOn = true;
  try {
    captionsOn = window.localStorage.getItem(KEY) !== "off";
  } catch (e) { /* storage refused: captions stay on */ }

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
    }
    markSegment(seconds);
  }

  function markSegment(time) {
    var current = null;
    links.forEach(function (link) {
      if (Number(link.dataset.seek) <= time + 0.25) {
        current = link;
      }
    });
    links.forEach(function (link) {
      var on = link === current;
      link.classList.toggle("active", on);
      if (on) {
        link.setAttribute("aria-current", "true");
      } else {
        link.removeAttribute("aria-current");
      }
    });
  }

  function markLine(cue) {
    if (!transcript) {
      return;
    }
    var index = cue && /^line-(\d+)$/.exec(cue.id);
    transcript.querySelectorAll("[data-line].active").forEach(function (line) {
      line.classList.remove("active");
    });
    var line = index && transcript.querySelector('[data-line="' + index[1] + '"]');
    if (line) {
      line.classList.add("active");
      // scroll the transcript box only, never the page under the visitor's finger
      transcript.scrollTop = line.offsetTop - transcript.offsetTop - transcript.clientHeight / 3;
    }
  }

  function showCaptions() {
    var track = player.textTracks && player.textTracks[0];
    if (!track) {
      return;
    }
    var isVideo = player.tagName === "VIDEO";
    // an audio element draws no captions: keep the cues coming and write them out ourselves
    track.mode = captionsOn && isVideo ? "showing" : "hidden";
    if (captionLine) {
      captionLine.hidden = !captionsOn || isVideo;
    }
    if (toggle) {
      toggle.hidden = false;
      toggle.setAttribute("aria-pressed", captionsOn ? "true" : "false");
    }
  }

  function onCueChange(event) {
    var cues = event.target.activeCues;
    var cue = cues && cues.length ? cues[cues.length - 1] : null;
    if (captionLine) {
      captionLine.textContent = cue ? cue.text : "";
    }
    markLine(cue);
  }

  if (player.textTracks) {
    showCaptions();
    if (player.textTracks[0]) {
      player.textTracks[0].addEventListener("cuechange", onCueChange);
    }
    if (player.tagName === "VIDEO") {
      // the video's own captions menu turns them off and on too
      player.textTracks.addEventListener("change", function () {
        captionsOn = player.textTracks[0] && player.textTracks[0].mode === "showing";
        if (toggle) {
          toggle.setAttribute("aria-pressed", captionsOn ? "true" : "false");
        }
      });
    }
  }
  if (toggle) {
    toggle.addEventListener("click", function () {
      captionsOn = !captionsOn;
      try {
        window.localStorage.setItem(KEY, captionsOn ? "on" : "off");
      } catch (e) { /* not remembered */ }
      showCaptions();
    });
  }
  player.addEventListener("timeupdate", function () {
    markSegment(player.currentTime);
  });

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

  function fromHash() {
    var match = /^#t=(\d+)$/.exec(window.location.hash);
    if (match) {
      seek(Number(match[1]));
    }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
