// Nytt ärende: type-ahead for the Objekt field and one submit per click.
// The form works without this script (search and choose post the form
// back); this only makes it quicker.
(function () {
  "use strict";
  var form = document.querySelector("[data-testid=new-case-form]");
  if (!form) return;
  var query = document.getElementById("asset_query");
  var box = document.getElementById("asset-suggestions");
  var assetID = document.getElementById("asset_id");
  var timer = null, seq = 0;

  function set(id, value) {
    var el = document.getElementById(id);
    if (el && value) el.value = value;
  }

  function choose(a) {
    assetID.value = a.id;
    set("site_name", a.site_name);
    set("street", a.street);
    set("postal_code", a.postal_code);
    set("city", a.city);
    set("contract_number", a.contract_number);
    query.value = "";
    box.innerHTML = "";
    var p = document.createElement("p");
    p.className = "chosen";
    p.setAttribute("data-testid", "chosen-asset");
    p.textContent = "Valt objekt: " + a.label;
    box.appendChild(p);
    document.getElementById("site_name").focus();
  }

  function show(list) {
    box.innerHTML = "";
    if (!list.length) {
      box.textContent = "Inga objekt matchade.";
      return;
    }
    var ul = document.createElement("ul");
    ul.setAttribute("aria-label", "Förslag på objekt");
    list.forEach(function (a) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = a.label + (a.site_name ? " (" + a.site_name + ")" : "");
      b.setAttribute("data-testid", "asset-suggestion");
      b.addEventListener("click", function () { choose(a); });
      li.appendChild(b);
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }

  function search() {
    var mine = ++seq;
    fetch("/nytt-arende/objekt?q=" + encodeURIComponent(query.value), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (list) { if (mine === seq) show(list); })
      .catch(function () {});
  }

  query.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  query.addEventListener("keydown", function (e) {
    if (e.key === "Enter") {
      e.preventDefault();
      clearTimeout(timer);
      search();
    }
  });

  // A double click must not send the form twice (the server also
  // recognises a resent form by its token).
  form.addEventListener("submit", function (e) {
    var b = e.submitter;
    if (!b || b.value !== "spara") return;
    if (form.dataset.sent) { e.preventDefault(); return; }
    form.dataset.sent = "1";
  });
})();
