/* The portal's search (index.html). Served over http(s) it uses Pagefind (pagefind/pagefind.js:
   a chunked index, fetched per query; filters; newest first). Opened from disk (file://), where
   Pagefind cannot load, or where it is missing, it falls back to the small inline index
   (#search-data) or the fetched search-index.json, matching words as substrings; when neither
   is there it says so. Without JavaScript the page lists and links every summary.
   The count line (#count, a live region) always says how many entries the list on screen shows. */
(function () {
  "use strict";
  var box = document.getElementById("search-box");
  var input = document.getElementById("search");
  var list = document.getElementById("summaries");
  var results = document.getElementById("results");
  var count = document.getElementById("count");
  var more = document.getElementById("more");
  var note = document.getElementById("search-note");
  var filtersEl = document.getElementById("filters");
  if (!box || !input || !list || !results || !count || !more || !note || !filtersEl) { return; }
  var d = box.dataset;
  var items = Array.prototype.slice.call(list.querySelectorAll("li[data-id]"));
  var total = items.length;
  var PAGE = 20;
  var FILTERS = ["body", "article", "relevance", "origin", "year"];
  var TRIM = /^[.,;:!?()\[\]{}«»"'“”‘’*_`#>]+|[.,;:!?()\[\]{}«»"'“”‘’*_`#>]+$/g;
  var engine = null;
  var seq = 0;
  box.hidden = false;

  function say(shown, found) {
    if (found === 0) { count.textContent = d.none; return; }
    count.textContent = shown === found ? found + " " + d.hits
      : d.showing + " " + shown + " " + d.of + " " + found + " " + d.hits;
  }
  function showAll() {
    results.hidden = true;
    results.textContent = "";
    more.hidden = true;
    list.hidden = false;
    items.forEach(function (li) { li.hidden = false; });
    count.textContent = total + " " + d.all;
  }
  function selected() {
    var out = {};
    FILTERS.forEach(function (key) {
      var el = document.getElementById("filter-" + key);
      if (el && el.value) { out[key] = el.value; }
    });
    return out;
  }
  function words() {
    return input.value.toLowerCase().split(/\s+/).map(function (w) { return w.replace(TRIM, ""); })
      .filter(function (w) { return w.length > 0; });
  }
  function offline(message) {
    note.textContent = message;
    note.hidden = false;
  }

  /* --- Pagefind ------------------------------------------------------------------------------ */
  function plain(html) {  /* text of an excerpt piece; an inert document runs nothing */
    return new DOMParser().parseFromString(html, "text/html").body.textContent || "";
  }
  function excerpt(html) {
    var p = document.createElement("p");
    p.className = "excerpt";
    html.split(/(<mark>[\s\S]*?<\/mark>)/).forEach(function (piece) {
      if (piece.indexOf("<mark>") === 0) {
        var m = document.createElement("mark");
        m.textContent = plain(piece.slice(6, -7));
        p.appendChild(m);
      } else if (piece) {
        p.appendChild(document.createTextNode(plain(piece)));
      }
    });
    return p;
  }
  function resultItem(data) {
    var li = document.createElement("li");
    var url = data.url;
    li.setAttribute("data-id", url.replace(/^.*\//, "").replace(/\.html$/, ""));
    var a = document.createElement("a");
    a.className = "ds-link";
    a.href = url;
    a.textContent = (data.meta && data.meta.title) || url;
    li.appendChild(a);
    if (data.meta && data.meta.info) {
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = data.meta.info;
      li.appendChild(meta);
    }
    if (data.excerpt) { li.appendChild(excerpt(data.excerpt)); }
    return li;
  }
  function pagefindEngine(pf, sorted) {
    var found = [];
    function page(start, mine) {
      return Promise.all(found.slice(start, start + PAGE).map(function (r) { return r.data(); }))
        .then(function (datas) {
          if (mine !== seq) { return; }
          datas.forEach(function (data) { results.appendChild(resultItem(data)); });
          var shown = results.children.length;
          more.hidden = shown >= found.length;
          say(shown, found.length);
        });
    }
    return {
      run: function (mine) {
        var term = input.value.trim();
        /* one index: newest first; several (a large site, by years): Pagefind ranks across them */
        var opts = sorted ? { filters: selected(), sort: { date: "desc" } } : { filters: selected() };
        if (!term && !sorted) { opts.sort = { date: "desc" }; }
        return pf.search(term || null, opts).then(function (search) {
          if (mine !== seq) { return; }
          found = (search && search.results) || [];
          results.textContent = "";
          list.hidden = true;
          results.hidden = false;
          return page(0, mine);
        });
      },
      more: function () { return page(results.children.length, seq); },
      filters: function () { return pf.filters(); }
    };
  }
  function option(select, value, label) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    select.appendChild(o);
  }
  function buildFilters(available) {
    var any = false;
    var fieldset = document.createElement("fieldset");
    fieldset.className = "ds-fieldset filters";
    var legend = document.createElement("legend");
    legend.textContent = d.filters;
    fieldset.appendChild(legend);
    FILTERS.forEach(function (key) {
      var values = Object.keys((available && available[key]) || {});
      if (!values.length) { return; }
      any = true;
      values.sort(key === "year" ? function (a, b) { return b.localeCompare(a); }
                                 : function (a, b) { return a.localeCompare(b); });
      var field = document.createElement("div");
      field.className = "ds-field filter";
      var label = document.createElement("label");
      label.className = "ds-label";
      label.htmlFor = "filter-" + key;
      label.textContent = d["filter" + key.charAt(0).toUpperCase() + key.slice(1)];
      var select = document.createElement("select");
      select.className = "ds-input";
      select.id = "filter-" + key;
      option(select, "", d.any);
      values.forEach(function (v) { option(select, v, v + " (" + available[key][v] + ")"); });
      select.addEventListener("change", run);
      field.appendChild(label);
      field.appendChild(select);
      fieldset.appendChild(field);
    });
    if (any) { filtersEl.appendChild(fieldset); }
  }

  /* --- the fallback: words as substrings of the inline (or fetched) index ---------------------- */
  function substringEngine(index) {
    var texts = {};
    index.forEach(function (e) { texts[e.id] = " " + e.title.toLowerCase() + " " + e.text + " "; });
    return {
      run: function () {
        var ws = words();
        var n = 0;
        items.forEach(function (li) {
          var t = texts[li.getAttribute("data-id")] || "";
          var ok = ws.every(function (w) { return t.indexOf(w) !== -1; });
          li.hidden = !ok;
          if (ok) { n += 1; }
        });
        results.hidden = true;
        list.hidden = false;
        say(n, n);
        return Promise.resolve();
      }
    };
  }

  function run() {
    if (!engine) { return; }
    seq += 1;
    var mine = seq;
    if (!input.value.trim() && !Object.keys(selected()).length) { showAll(); return; }
    engine.run(mine).catch(function () { offline(d.unavailable); });
  }
  function start(e) {
    engine = e;
    input.disabled = false;
    if (input.value) { run(); }
  }
  function fallback() {
    var embedded = document.getElementById("search-data");
    if (embedded) { start(substringEngine(JSON.parse(embedded.textContent))); return; }
    if (location.protocol === "file:") { input.disabled = true; offline(d.offline); return; }
    fetch(d.index)
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (index) { start(substringEngine(index)); })
      .catch(function () { input.disabled = true; offline(d.unavailable); });
  }

  input.addEventListener("input", run);
  more.addEventListener("click", function () { if (engine && engine.more) { engine.more(); } });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { input.value = q; }
  if (!d.pagefind || (location.protocol !== "http:" && location.protocol !== "https:")) { fallback(); return; }
  import(new URL(d.pagefind, document.baseURI).href)
    .then(function (pf) {
      var more = (d.merge || "").split(" ").filter(Boolean);
      return pf.options({ baseUrl: new URL(".", document.baseURI).pathname, excerptLength: 24 })
        .then(function () {
          return Promise.all(more.map(function (folder) {
            return pf.mergeIndex(new URL(folder + "/", document.baseURI).pathname);
          }));
        })
        .then(function () { return pf.filters(); })
        .then(function (available) { buildFilters(available); start(pagefindEngine(pf, !more.length)); });
    })
    .catch(fallback);
}());
