/* The crisis log page: keyboard submit, live updates kept in order, in-page links.
   Loaded with a nonce, attached with addEventListener only (no inline JS, CSP-safe).
   HTMX does the requests; this file only tidies up after them. */
(function () {
  "use strict";

  var LOG_HEADER = "X-Samvirke-Log";

  /* Ctrl+Enter (Cmd+Enter on a Mac) submits the entry form the focus is in. */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) {
      return;
    }
    var form = event.target.closest && event.target.closest("form.quick-entry, form.correct-form");
    if (!form) {
      return;
    }
    event.preventDefault();
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  });

  /* New entries arrive at the top of the list (polling, or the user's own entry). The
     same entry can arrive twice (polls overlap a little so none is missed): the copy on the
     page stays. A re-rendered entry (struck through after a correction) replaces the one
     already shown, where it stands. Fresh copies marked data-refresh-only only refresh: with
     nothing to refresh they are dropped. */
  /* Entries never change but for the corrections made to them since, so the copy that
     knows of more corrections is the newer one. */
  function corrections(item) {
    return parseInt(item.dataset.corrections || "0", 10);
  }

  function reconcile(list) {
    var first = {};
    Array.prototype.slice.call(list.children).forEach(function (item) {
      if (!item.id) {
        return;
      }
      var fresh = first[item.id];
      if (fresh) {
        // `item` is the copy already on the page. A copy that knows of no more corrections
        // than it (an overlapping poll, the writer's own entry coming back, or a poll
        // answered before a correction and arriving after it) is dropped: the one on the
        // page is as new, and may hold an open correction form or the keyboard focus.
        // Only a copy corrected since takes its place.
        if (corrections(fresh) <= corrections(item)) {
          fresh.remove();
          first[item.id] = item;
          return;
        }
        fresh.removeAttribute("data-refresh-only");
        if (!item.classList.contains("entry--fresh")) {
          fresh.classList.remove("entry--fresh");
        }
        item.replaceWith(fresh);
      } else {
        first[item.id] = item;
      }
    });
    list.querySelectorAll(":scope > [data-refresh-only]").forEach(function (item) {
      item.remove();
    });
  }

  function reconcileLog() {
    var list = document.getElementById("entries");
    if (list) {
      reconcile(list);
    }
  }

  // Right after the swap (htmx settles 20 ms later): no moment shows an entry twice.
  document.addEventListener("htmx:afterSwap", reconcileLog);
  document.addEventListener("htmx:afterSettle", reconcileLog);
  document.addEventListener("htmx:oobAfterSwap", reconcileLog);

  /* A poll answered by something other than the log (e.g. the login page after the
     session ended) must not be swapped into the list: stop polling and say why. */
  document.addEventListener("htmx:beforeSwap", function (event) {
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!elt || elt.id !== "log-poller") {
      return;
    }
    var xhr = event.detail.xhr;
    if (xhr && xhr.status === 200 && !xhr.getResponseHeader(LOG_HEADER)) {
      event.detail.shouldSwap = false;
      elt.remove();
      var status = document.getElementById("log-status");
      if (status) {
        status.textContent = status.dataset.stopped || "";
      }
    }
  });

  /* Links to another entry scroll to it when it is on the page; otherwise they open the
     entry's own page. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-entry-link]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    var target = document.getElementById(link.dataset.entryLink);
    if (!target) {
      return;
    }
    event.preventDefault();
    target.scrollIntoView({ block: "center" });
    target.classList.add("entry--target");
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    window.setTimeout(function () {
      target.classList.remove("entry--target");
    }, 2000);
  });

  /* "Cancel" in an inline correction form closes it. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-dismiss-form]");
    if (!button) {
      return;
    }
    var form = button.closest("form");
    if (!form) {
      return;
    }
    event.preventDefault();
    var entry = form.closest(".entry");
    form.remove();
    var back = entry && entry.querySelector(".entry__actions a");
    if (back) {
      back.focus();
    }
  });
})();
