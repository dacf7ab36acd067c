// A US address names its state: the state field shows only while the country needs one
// (the server requires it there and ignores it elsewhere, with or without this script).
(function () {
  "use strict";
  document.querySelectorAll("select[data-state-for]").forEach(function (state) {
    var country = state.form && state.form.querySelector("select[name$='country']");
    var wrapper = state.closest("[id^='div_id_']") || state.parentElement;
    if (!country || !wrapper) { return; }
    var sync = function () { wrapper.hidden = country.value !== state.dataset.stateFor; };
    country.addEventListener("change", sync);
    sync();
  });
})();
