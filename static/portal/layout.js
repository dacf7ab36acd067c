// The navigation's collapse button (from 992 px up; below, Bootstrap's offcanvas opens it):
// remembered per browser. Loaded in <head>, so a collapsed navigation never flashes open.
(function () {
  "use strict";
  var KEY = "portal.navigation";
  var root = document.documentElement;
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
  });
})();
