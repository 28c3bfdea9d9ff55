(function () {
  "use strict";
  var input = document.getElementById("search");
  var list = document.getElementById("summaries");
  var status = document.getElementById("search-status");
  if (!input || !list || !status) { return; }
  var items = Array.prototype.slice.call(list.querySelectorAll("li[data-id]"));
  var texts = null;
  var waiting = [];
  var TRIM = /^[.,;:!?()\[\]{}«»"'“”‘’*_`#>]+|[.,;:!?()\[\]{}«»"'“”‘’*_`#>]+$/g;

  function ready(index) {
    texts = {};
    index.forEach(function (e) { texts[e.id] = " " + e.title.toLowerCase() + " " + e.text + " "; });
    var queue = waiting; waiting = [];
    queue.forEach(function (f) { f(); });
  }
  function load(then) {
    if (texts) { then(); return; }
    waiting.push(then);
    if (waiting.length > 1) { return; }
    var embedded = document.getElementById("search-data");
    if (embedded) { ready(JSON.parse(embedded.textContent)); return; }
    fetch(list.getAttribute("data-index"))
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(ready)
      .catch(function () { waiting = []; status.textContent = input.getAttribute("data-unavailable"); });
  }
  function words() {
    return input.value.toLowerCase().split(/\s+/).map(function (w) { return w.replace(TRIM, ""); })
      .filter(function (w) { return w.length > 0; });
  }
  function run() {
    var ws = words();
    if (!ws.length) {
      items.forEach(function (li) { li.hidden = false; });
      status.textContent = "";
      return;
    }
    load(function () {
      var current = words();
      var n = 0;
      items.forEach(function (li) {
        var t = texts[li.getAttribute("data-id")] || "";
        var ok = current.every(function (w) { return t.indexOf(w) !== -1; });
        li.hidden = !ok;
        if (ok) { n += 1; }
      });
      status.textContent = n ? n + " " + input.getAttribute("data-hits") : input.getAttribute("data-none");
    });
  }
  input.addEventListener("input", run);
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { input.value = q; }
  if (input.value) { run(); }
}());
