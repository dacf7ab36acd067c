// A customer's language follows its country until the agent chooses one. It changes only
// while it still holds what was last suggested (the country's language, or before any country
// the portal's own language), so a choice (also one the server sent back with a form) stays.
// Used by every form built on customers.forms.CustomerAccountForm.
(function () {
  "use strict";
  document.querySelectorAll("select[data-country-languages]").forEach(function (language) {
    var country = language.form && language.form.querySelector("select[name$='country']");
    if (!country) { return; }
    var countryLanguages = JSON.parse(language.dataset.countryLanguages);
    var defaultLanguage = language.dataset.defaultLanguage || "en";
    var languageFor = function (code) { return countryLanguages[code] || defaultLanguage; };
    var languageChosen = false;
    var suggested = country.value ? languageFor(country.value) : language.value;
    language.addEventListener("change", function () { languageChosen = true; });
    country.addEventListener("change", function () {
      if (!languageChosen && language.value === suggested) {
        language.value = languageFor(country.value);
      }
      suggested = languageFor(country.value);
    });
  });
})();
