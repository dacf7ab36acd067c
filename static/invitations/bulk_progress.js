// A bulk invitation job's page: polls the job's JSON status and updates the progress bar and
// counts without reloading; once the job has finished, shows the download link.
(function () {
  "use strict";
  var root = document.querySelector("[data-bulk-progress]");
  if (!root || root.dataset.finished === "1") {
    return;
  }
  var bar = root.querySelector("progress");
  var poll = function () {
    fetch(root.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (job) {
        bar.value = job.percent;
        bar.textContent = job.percent + "%";
        root.querySelectorAll("[data-field]").forEach(function (field) {
          var value = job[field.dataset.field];
          if (value !== null && value !== undefined) {
            field.textContent = value;
          }
        });
        if (job.finished) {
          root.querySelectorAll("[data-show-when-finished]").forEach(function (element) {
            element.hidden = false;
          });
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  };
  window.setTimeout(poll, 1000);
})();
