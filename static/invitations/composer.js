// The invitation email composer: keeps the mailto: link in step with edits and copies
// the message with a visible confirmation.
(function () {
  "use strict";
  document.querySelectorAll("[data-composer]").forEach(function (root) {
    var subject = root.querySelector("[name=subject]");
    var body = root.querySelector("[name=body]");
    var mailto = root.querySelector("[data-mailto]");
    var copy = root.querySelector("[data-copy]");
    var status = root.querySelector("[data-copy-status]");
    var to = root.querySelector("[name=to]");
    var cc = root.querySelector("[name=cc]");
    var update = function () {
      // Encoded as the server encodes it (Email.mailto), so an edit changes only the text.
      var copies = cc.value.trim();
      mailto.href = "mailto:" + encodeURIComponent(to.value.trim()).replace(/%40/g, "@") +
        "?" + (copies ? "cc=" + encodeURIComponent(copies) + "&" : "") +
        "subject=" + encodeURIComponent(subject.value) +
        "&body=" + encodeURIComponent(body.value);
    };
    [to, cc, subject, body].forEach(function (field) {
      field.addEventListener("input", update);
    });
    // Copies the field's text and says how it went in the status element next to the button.
    var copier = function (button, field, status) {
      var say = function (text) { status.textContent = text; };
      button.addEventListener("click", function () {
        var text = field.value;
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(
            function () { say(button.dataset.copiedText); },
            function () { say(button.dataset.failedText); }
          );
        } else {
          field.select();
          say(document.execCommand("copy") ? button.dataset.copiedText : button.dataset.failedText);
        }
      });
    };
    copier(copy, body, status);
    var copyLink = root.querySelector("[data-copy-link]");
    if (copyLink) {
      copier(copyLink, root.querySelector("[name=link]"), root.querySelector("[data-copy-link-status]"));
    }
  });
})();
