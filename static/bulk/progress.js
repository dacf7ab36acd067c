// The bulk job page: poll the job's status and show its progress without reloading.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || box.dataset.finished === "true") { return; }
  var bar = document.getElementById("job-progress-bar");
  var url = box.dataset.statusUrl;
  function show(data) {
    box.querySelectorAll("[data-field]").forEach(function (element) {
      var value = data[element.dataset.field];
      if (value !== undefined) { element.textContent = value; }
    });
    bar.value = data.percent;
    bar.textContent = data.percent + " %";
    if (data.finished) {
      var cancel = document.getElementById("job-cancel");
      if (cancel) { cancel.hidden = true; }
      document.getElementById("job-finished").hidden = false;
      return true;
    }
    return false;
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && show(data)) { return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
