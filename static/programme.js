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
