// igf-scheduler: shows the programme in the visitor's own zone. The server renders the
// truth for any zone (?tz=); this only asks for the browser's zone when none was chosen,
// and only a zone the page lists (or an old spelling the server reads as one).
(function () {
  "use strict";
  var shown = document.documentElement.getAttribute("data-zone");
  var params = new URLSearchParams(window.location.search);
  var zones = document.getElementById("zones");
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone || params.has("tz") || zone === shown) {
    return;
  }
  // A session page lists no zones: there an unknown one is shown as venue time.
  if (zones) {
    var known = Array.prototype.some.call(zones.options, function (o) {
      return o.value === zone;
    });
    var renamed = (zones.getAttribute("data-renamed") || "").split(" ").indexOf(zone) >= 0;
    if (!known && !renamed) {
      return;
    }
  }
  params.set("tz", zone);
  window.location.replace(window.location.pathname + "?" + params.toString());
})();

// Star buttons: without the script a star is a form that goes on to the agenda page;
// with it the visitor stays where they are and the button says the session is in.
(function () {
  "use strict";
  var status = document.querySelector(".star-status");
  Array.prototype.forEach.call(document.querySelectorAll("form.star"), function (form) {
    var button = form.querySelector("button[data-done]");
    if (!button || !window.fetch) {
      return;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Accept": "application/json" },
        body: new URLSearchParams(new FormData(form))
      }).then(function (r) {
        if (!r.ok) {
          throw new Error(String(r.status));
        }
        return r.json();
      }).then(function (agenda) {
        var id = Number(form.elements.session_id.value);
        var clashes = agenda.clashes.filter(function (c) {
          return c.session_ids.indexOf(id) >= 0;
        }).length;
        button.textContent = button.getAttribute("data-done");
        if (status) {
          var text = status.getAttribute("data-added") || "";
          if (clashes > 0) {
            text += " " + (status.getAttribute("data-clashes") || "").replace("{n}", String(clashes));
          }
          status.textContent = text;
        }
      }).catch(function () {
        // Let the server answer the form itself, with its message.
        form.submit();
      });
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (b) {
    var input = document.getElementById(b.getAttribute("data-copy"));
    if (!input || !navigator.clipboard) {
      return;
    }
    b.hidden = false;
    b.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        b.textContent = b.getAttribute("data-copied");
      });
    });
  });
})();
