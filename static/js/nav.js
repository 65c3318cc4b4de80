// The main menu (templates/portal/main_menu.html) works without this file: <details>
// open and close by click, Enter and Space. This adds what a menu is expected to do
// beyond that: Escape closes the open group (or, on a phone, the menu) and returns focus
// to its button; a click elsewhere closes an open group; opening one group closes the
// others (where the browser does not yet honour <details name>).
(function () {
  "use strict";

  function groups(nav) {
    return Array.prototype.slice.call(nav.querySelectorAll("details.site-nav__group"));
  }

  function close(details, focus) {
    details.open = false;
    if (focus) {
      details.querySelector("summary").focus();
    }
  }

  function init() {
    var nav = document.querySelector("nav.site-nav");
    if (!nav) {
      return;
    }
    var menu = nav.querySelector("details.site-nav__menu");
    var toggle = menu && menu.querySelector("summary.site-nav__toggle");

    groups(nav).forEach(function (details) {
      details.addEventListener("toggle", function () {
        if (!details.open) {
          return;
        }
        groups(nav).forEach(function (other) {
          if (other !== details && other.open) {
            other.open = false;
          }
        });
      });
    });

    nav.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") {
        return;
      }
      var open = groups(nav).filter(function (d) { return d.open; })[0];
      if (open) {
        event.preventDefault();
        close(open, true);
      } else if (menu && menu.open && toggle && toggle.offsetParent !== null) {
        event.preventDefault();
        close(menu, true);
      }
    });

    document.addEventListener("click", function (event) {
      groups(nav).forEach(function (details) {
        if (details.open && !details.contains(event.target)) {
          details.open = false;
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
