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
  var pairs = [["contact_first_name", "accepted_first_name"], ["contact_last_name", "accepted_last_name"],
               ["contact_email", "accepted_email"], ["contact_phone", "accepted_phone"]];
  var typed = {};
  pairs.forEach(function (pair) {
    field(pair[1]).addEventListener("input", function () { typed[pair[1]] = true; });
  });
  // Pre-fill from the primary contact once, when the agent first opens Update, and only into
  // empty fields the agent hasn't typed in. A section the server re-rendered open counts as
  // opened already: what it holds is what was posted, and stays as it is.
  var prefilled = other.checked;
  function showOther() { otherFields.hidden = !other.checked; }
  other.addEventListener("change", function () {
    if (other.checked && !prefilled) {
      prefilled = true;
      pairs.forEach(function (pair) {
        var target = field(pair[1]);
        if (!typed[pair[1]] && !target.value) { target.value = field(pair[0]).value; }
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
