// Polls the yearly report's status endpoint and shows the download link when the file is ready.
(function () {
  "use strict";
  var box = document.getElementById("report-job");
  if (!box) {
    return;
  }
  var bar = document.getElementById("report-progress");
  var message = document.getElementById("report-message");
  var link = document.getElementById("report-download");

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (job) {
        bar.max = job.total || 1;
        bar.value = job.done;
        message.textContent = box.dataset["text" + job.status.charAt(0).toUpperCase() + job.status.slice(1)] || "";
        if (job.status === "done" && job.download_url) {
          link.href = job.download_url;
          link.classList.remove("d-none");
        } else if (job.status !== "failed") {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  poll();
})();
