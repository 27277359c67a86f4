// igf-scheduler: shows the programme in the visitor's own zone. The server renders the
// truth for any zone (?tz=); this only asks for the browser's zone when none was chosen.
(function () {
  "use strict";
  var shown = document.documentElement.getAttribute("data-zone");
  var params = new URLSearchParams(window.location.search);
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone || params.has("tz") || zone === shown) {
    return;
  }
  // The server reads old spellings (Asia/Katmandu) as the current name.
  params.set("tz", zone);
  window.location.replace(window.location.pathname + "?" + params.toString());
})();
