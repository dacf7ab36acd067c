// Copy buttons: data-copy-target names the element whose text goes to the clipboard.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.dataset.copyTarget);
      var status = button.parentElement.querySelector("[data-copy-status]");
      var text = source.value !== undefined ? source.value : source.textContent;
      var done = function () { if (status) { status.textContent = button.dataset.copiedText || "✓"; } };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done);
      } else {
        source.removeAttribute("aria-hidden");
        source.select();
        document.execCommand("copy");
        source.setAttribute("aria-hidden", "true");
        done();
      }
    });
  });
})();
