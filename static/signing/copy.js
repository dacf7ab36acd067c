// Copy buttons of the signing link page: data-copy-from names the field whose value is copied;
// the status element beside the button says how it went.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-from]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copyFrom);
    var status = button.parentElement.querySelector("[data-copy-status]");
    var say = function (text) { if (status) { status.textContent = text; } };
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(
          function () { say(button.dataset.copiedText); },
          function () { say(button.dataset.failedText); }
        );
      } else {
        field.select();
        say(document.execCommand("copy") ? button.dataset.copiedText : button.dataset.failedText);
      }
    });
  });
})();
