// Progressive enhancement of the new-customer form: everything also works without it.
(function () {
  "use strict";
  var form = document.getElementById("new-customer-form");
  if (!form) { return; }

  var domain = form.querySelector("[data-check-url]");
  var status = document.getElementById("domain-status");
  var timer = null;
  function checkDomain() {
    var value = domain.value.trim();
    if (!value) { status.textContent = ""; return; }
    var url = domain.dataset.checkUrl + "?domain=" + encodeURIComponent(value);
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (domain.value.trim() !== value) { return; }
        status.textContent = answer.message;
        status.classList.toggle("text-success", !!answer.available);
        status.classList.toggle("text-danger", !answer.available);
      })
      .catch(function () { status.textContent = ""; });
  }
  if (domain && status) {
    domain.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(checkDomain, 400);
    });
    domain.addEventListener("blur", checkDomain);
  }

  function field(name) { return form.elements.namedItem(name); }

  var attestSection = document.getElementById("attestation-section");
  if (!attestSection) { return; }
  function showAttestation() {
    var chosen = form.querySelector("input[name='agreement']:checked");
    attestSection.hidden = !chosen || chosen.value !== "attested";
  }
  form.querySelectorAll("input[name='agreement']").forEach(function (radio) {
    radio.addEventListener("change", showAttestation);
  });
  showAttestation();

  var other = field("accepted_by_other");
  var otherFields = document.getElementById("accepted-by-fields");
  // Someone else accepted: that person starts blank. Nothing of the primary contact is copied
  // in (a phone left over unseen would be recorded as theirs), and whatever the agent didn't
  // type here (a browser's autofill, say) is cleared each time the section opens. What the
  // agent typed stays, and so does a section the server re-rendered open: it holds what was
  // posted.
  var names = ["accepted_first_name", "accepted_last_name", "accepted_email", "accepted_phone"];
  var typed = {};
  if (other.checked) {
    names.forEach(function (name) { typed[name] = true; });
  }
  names.forEach(function (name) {
    field(name).addEventListener("input", function () {
      if (other.checked) { typed[name] = true; }
    });
  });
  function showOther() { otherFields.hidden = !other.checked; }
  other.addEventListener("change", function () {
    if (other.checked) {
      names.forEach(function (name) {
        if (!typed[name]) { field(name).value = ""; }
      });
    }
    showOther();
  });
  showOther();

  var summary = document.getElementById("accepted-by-summary");
  var fallback = summary.dataset.empty;
  function updateSummary() {
    var name = (field("contact_first_name").value + " " + field("contact_last_name").value).trim();
    var email = field("contact_email").value.trim();
    summary.textContent = name ? name + (email ? " (" + email + ")" : "") : fallback;
  }
  ["contact_first_name", "contact_last_name", "contact_email"].forEach(function (name) {
    field(name).addEventListener("input", updateSummary);
  });
})();
