/* Live pages (the round's dashboard, the national view): poll the page's live URL every
   few seconds with the page's own query (filter, sort) and the version it shows. 204:
   nothing changed. 200: the fragment's parts replace the page's parts of the same id
   (counts, table, map data), the map recolours, and a short summary is read out politely
   (one aria-live region, not every cell). Scroll, the table's sideways scroll and the
   focus stay where they were. Without JavaScript the page is as before: reload.
   Loaded with a nonce, no inline script (CSP). */
(function () {
  "use strict";

  var LIVE_HEADER = "X-Samvirke-Live";
  var VERSION_HEADER = "X-Samvirke-Version";
  var INTERVAL = 2500;

  var root = document.querySelector("[data-live-url]");
  if (!root || typeof window.fetch !== "function") {
    return;
  }
  var busy = false;
  var stopped = false;

  function pollUrl() {
    var params = new URLSearchParams(window.location.search);
    params.set("v", root.dataset.liveVersion || "");
    return root.dataset.liveUrl + "?" + params.toString();
  }

  function filtering() {
    // A filter or sort request of the page's own (HTMX) is on its way: its answer wins.
    return !!document.querySelector(".htmx-request");
  }

  function stop() {
    stopped = true;
    var summary = document.getElementById("live-summary");
    if (summary) {
      summary.textContent = root.dataset.liveStopped || "";
    }
  }

  function keepFocus(target, fresh) {
    var active = document.activeElement;
    if (!active || !target.contains(active)) {
      return null;
    }
    var href = active.getAttribute("href");
    var id = active.id;
    return function () {
      var again = null;
      if (id) {
        again = document.getElementById(id);
      } else if (href) {
        again = fresh.querySelector('[href="' + CSS.escape(href) + '"]');
      }
      if (again) {
        again.focus({ preventScroll: true });
      }
    };
  }

  function swap(fragment) {
    var x = window.scrollX;
    var y = window.scrollY;
    fragment.querySelectorAll("[data-live-part], script[type='application/json'][id]").forEach(
      function (fresh) {
        var target = document.getElementById(fresh.id);
        if (!target) {
          return;
        }
        var wraps = Array.prototype.map.call(target.querySelectorAll(".table-wrap"), function (w) {
          return w.scrollLeft;
        });
        var refocus = keepFocus(target, fresh);
        var node = document.importNode(fresh, true);
        target.replaceWith(node);
        node.querySelectorAll(".table-wrap").forEach(function (w, i) {
          if (wraps[i]) {
            w.scrollLeft = wraps[i];
          }
        });
        if (window.htmx && node.nodeName !== "SCRIPT") {
          window.htmx.process(node);
        }
        if (refocus) {
          refocus();
        }
      }
    );
    window.scrollTo(x, y);
    var said = fragment.querySelector("[data-live-summary]");
    var summary = document.getElementById("live-summary");
    if (said && summary && summary.textContent !== said.textContent) {
      summary.textContent = said.textContent;
    }
    document.dispatchEvent(new CustomEvent("samvirke:live-updated"));
  }

  function poll() {
    if (stopped || busy || document.hidden || filtering()) {
      return;
    }
    busy = true;
    var asked = window.location.search;
    fetch(pollUrl(), { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (response.status === 204) {
          return null;
        }
        if (!response.ok || !response.headers.get(LIVE_HEADER)) {
          stop(); // e.g. the login page after the session ended
          return null;
        }
        var version = response.headers.get(VERSION_HEADER);
        return response.text().then(function (html) {
          if (asked !== window.location.search || filtering()) {
            return; // the filter changed meanwhile: the next poll asks with it
          }
          root.dataset.liveVersion = version || "";
          var template = document.createElement("template");
          template.innerHTML = html;
          swap(template.content);
        });
      })
      .catch(function () {
        /* offline for a moment: the next poll tries again */
      })
      .then(function () {
        busy = false;
      });
  }

  // The page's own filter/sort swaps show the table as of now: the version stays, the
  // next poll compares as before.
  window.setInterval(poll, INTERVAL);
})();
