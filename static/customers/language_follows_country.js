// A customer's language follows its country until the agent chooses one. The form starts on
// "The country's language" (an empty value the server resolves, so it is right without this
// script too); here it shows the language that stands for instead: the portal's own before a
// country is chosen, then the country's. It changes only while it still holds what was last
// suggested, so a choice (also one the server sent back with a form) stays.
// Used by every form built on customers.forms.CustomerAccountForm.
(function () {
  "use strict";
  document.querySelectorAll("select[data-country-languages]").forEach(function (language) {
    var country = language.form && language.form.querySelector("select[name$='country']");
    if (!country) { return; }
    var countryLanguages = JSON.parse(language.dataset.countryLanguages);
    var defaultLanguage = language.dataset.defaultLanguage || "en";
    var portalLanguage = language.dataset.portalLanguage || defaultLanguage;
    var languageFor = function (code) { return countryLanguages[code] || defaultLanguage; };
    if (language.value === "") {
      language.value = country.value ? languageFor(country.value) : portalLanguage;
    }
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
