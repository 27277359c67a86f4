// igf-scheduler: the working pages' script. It only improves pages that work without
// it: the proposal form asks the server what screening says of it as the proposer
// types (nothing is saved) and adds rows of people without a round trip; the schedule
// board moves a session dropped on a cell; long actions say they are working; a
// running job's page follows the job.
(function () {
  "use strict";
  var form = document.querySelector("form.proposal[data-check]");
  if (!form) {
    return;
  }
  var summary = document.querySelector(".screen-summary");
  var other = document.querySelector(".screen-other");
  var timer = null;
  var asked = 0;

  function show(problems) {
    var spots = form.querySelectorAll("[data-screen]");
    Array.prototype.forEach.call(spots, function (p) {
      p.textContent = "";
      p.hidden = true;
    });
    if (other) {
      other.textContent = "";
    }
    problems.forEach(function (pr) {
      var spot = form.querySelector('[data-screen="' + pr.control + '"]');
      if (spot) {
        spot.textContent = (spot.textContent ? spot.textContent + " " : "") + pr.message;
        spot.hidden = false;
      } else if (other) {
        var li = document.createElement("li");
        li.textContent = pr.message;
        other.appendChild(li);
      }
    });
    if (summary) {
      summary.textContent = problems.length === 0
        ? summary.getAttribute("data-none")
        : problems.length + " " + summary.getAttribute("data-some");
    }
    form.setAttribute("data-checked", String(problems.length));
  }

  function check() {
    var mine = ++asked;
    var body = new URLSearchParams(new FormData(form));
    fetch(form.getAttribute("data-check"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString()
    }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (answer) {
      if (answer && mine === asked) {
        show(answer.problems);
      }
    }).catch(function () { /* the next keystroke asks again; saving still checks */ });
  }

  function soon() {
    if (timer) {
      clearTimeout(timer);
    }
    timer = setTimeout(check, 400);
  }
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);

  var add = form.querySelector("button.add-person");
  if (add && !form.querySelector("fieldset.whole[disabled]")) {
    add.hidden = false;
    add.addEventListener("click", function () {
      var rows = form.querySelectorAll("fieldset.person");
      var last = rows[rows.length - 1];
      var n = rows.length;
      var copy = last.cloneNode(true);
      copy.setAttribute("data-row", String(n));
      var legend = copy.querySelector("legend");
      if (legend) {
        legend.textContent = legend.textContent.replace(/\d+$/, String(n + 1));
      }
      var re = /^p\d+_/;
      Array.prototype.forEach.call(copy.querySelectorAll("[id],[name],[for],[aria-describedby],[data-screen]"), function (el) {
        ["id", "name", "for", "data-screen"].forEach(function (a) {
          var v = el.getAttribute(a);
          if (v && re.test(v)) {
            el.setAttribute(a, v.replace(re, "p" + n + "_"));
          }
        });
        var d = el.getAttribute("aria-describedby");
        if (d) {
          el.setAttribute("aria-describedby", d.split(" ").map(function (x) {
            return x.replace(re, "p" + n + "_");
          }).join(" "));
        }
        if (el.tagName === "INPUT") {
          el.value = "";
          el.removeAttribute("aria-invalid");
        } else if (el.tagName === "SELECT") {
          el.selectedIndex = el.options[0] && el.options[0].value === "" ? 0 : 1;
        } else if (el.hasAttribute("data-screen")) {
          el.textContent = "";
          el.hidden = true;
        }
      });
      last.parentNode.insertBefore(copy, last.nextSibling);
      var first = copy.querySelector("input,select");
      if (first) {
        first.focus();
      }
    });
  }
})();

// The schedule board: a session dragged onto a cell is moved there by the board's own
// move form (the same request as the "Move" link and the cell's button make).
(function () {
  "use strict";
  var board = document.querySelector("table.board");
  var drop = document.getElementById("drop");
  if (!board || !drop) {
    return;
  }
  var dragged = null;
  Array.prototype.forEach.call(document.querySelectorAll(".card[data-session]"), function (card) {
    card.addEventListener("dragstart", function (e) {
      dragged = card.getAttribute("data-session");
      e.dataTransfer.setData("text/plain", dragged);
      e.dataTransfer.effectAllowed = "move";
      card.classList.add("dragging");
    });
    card.addEventListener("dragend", function () {
      card.classList.remove("dragging");
    });
  });
  Array.prototype.forEach.call(board.querySelectorAll("td.cell"), function (cell) {
    cell.addEventListener("dragover", function (e) {
      e.preventDefault();
      cell.classList.add("over");
    });
    cell.addEventListener("dragleave", function () {
      cell.classList.remove("over");
    });
    cell.addEventListener("drop", function (e) {
      e.preventDefault();
      cell.classList.remove("over");
      var session = e.dataTransfer.getData("text/plain") || dragged;
      if (!session) {
        return;
      }
      drop.querySelector('[name="session_id"]').value = session;
      drop.querySelector('[name="room_id"]').value = cell.getAttribute("data-room");
      drop.querySelector('[name="slot_id"]').value = cell.getAttribute("data-slot");
      drop.submit();
    });
  });
})();

// Long actions (an assignment, a selection) answer when they are done: say so while
// the request runs, and keep the button from being pressed twice.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form[data-busy]"), function (form) {
    form.addEventListener("submit", function () {
      var status = form.querySelector(".busy");
      if (status) {
        status.textContent = form.getAttribute("data-busy");
      }
      Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) {
        b.disabled = true;
      });
    });
  });
})();

// A running job's page reads itself again every second and puts the new state in
// place, until the job ends; without the script the page has a link to look again.
(function () {
  "use strict";
  var live = document.getElementById("job-live");
  if (!live || live.getAttribute("data-running") !== "1") {
    return;
  }
  var again = document.querySelector(".no-script-refresh");
  if (again) {
    again.hidden = true;
  }
  function poll() {
    fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (text) {
        if (!text) {
          setTimeout(poll, 2000);
          return;
        }
        var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("job-live");
        if (!fresh) {
          return;
        }
        live.innerHTML = fresh.innerHTML;
        live.setAttribute("data-running", fresh.getAttribute("data-running"));
        if (fresh.getAttribute("data-running") === "1") {
          setTimeout(poll, 1000);
        }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 1000);
})();
