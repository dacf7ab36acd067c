// The navigation's collapse button (from 992 px up; below, Bootstrap's offcanvas opens it):
// remembered per browser. Loaded in <head>, so a collapsed navigation never flashes open.
(function () {
  "use strict";
  var KEY = "portal.navigation";
  var root = document.documentElement;
  // The stylesheet folds the phone's header into one row only where this script runs.
  root.classList.add("js");
  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (error) { return null; }
  }
  if (stored() === "collapsed") root.classList.add("nav-collapsed");

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("[data-nav-collapse]");
    function show() {
      var collapsed = root.classList.contains("nav-collapsed");
      buttons.forEach(function (button) {
        button.setAttribute("aria-expanded", collapsed ? "false" : "true");
      });
    }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var collapsed = root.classList.toggle("nav-collapsed");
        try { window.localStorage.setItem(KEY, collapsed ? "collapsed" : "open"); } catch (error) { /* private mode */ }
        show();
      });
    });
    show();
    accountMenu();
    languageCodes();
  });

  // A phone's account menu: the toggle opens and closes it; Escape, or focus or a click
  // outside it, closes it (Escape hands the focus back to the toggle).
  function accountMenu() {
    var menu = document.querySelector("[data-account-menu]");
    if (!menu) return;
    var toggle = menu.querySelector("[data-account-toggle]");
    var panel = menu.querySelector("[data-account-panel]");
    function setOpen(open) {
      panel.classList.toggle("show", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && panel.classList.contains("show")) {
        setOpen(false);
        toggle.focus();
      }
    });
    menu.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !menu.contains(event.relatedTarget)) setOpen(false);
    });
    document.addEventListener("click", function (event) {
      if (!menu.contains(event.target)) setOpen(false);
    });
  }

  // On a phone the language select shows each language's code ("EN", "CS"), wider its name.
  function languageCodes() {
    var select = document.getElementById("language-select");
    if (!select || !window.matchMedia) return;
    var phone = window.matchMedia("(max-width: 767.98px)");
    function label() {
      Array.prototype.forEach.call(select.options, function (option) {
        if (phone.matches && option.dataset.code) {
          option.label = option.dataset.code;
        } else {
          option.removeAttribute("label");
        }
      });
    }
    label();
    if (phone.addEventListener) phone.addEventListener("change", label);
  }
})();
