// Nytt ärende: type-ahead for the Objekt field, the chosen machine's
// values offered next to fields typed differently, Portkod shown only
// with the choice Portkod, and one submit per click. The form works
// without this script (search, choose and the machine's values post the
// form back, and Portkod is always shown with a help text); this only
// makes it quicker.
(function () {
  "use strict";
  var form = document.querySelector("[data-testid=new-case-form]");
  if (!form) return;
  var query = document.getElementById("asset_query");
  var box = document.getElementById("asset-suggestions");
  var chosen = document.getElementById("chosen-asset");
  var assetID = document.getElementById("asset_id");
  var timer = null, seq = 0;

  // The fields that choosing a machine fills in (repair.AssetFields),
  // with the names the notice uses.
  var fields = ["site_name", "street", "postal_code", "city", "contract_number"];
  var labels = { site_name: "Kund", street: "Gata", postal_code: "Postnr", city: "Ort", contract_number: "Avtal" };

  // norm makes a value comparable as repair.sameAssetValue does: spacing,
  // letter case and the postal code's space do not count.
  function norm(field, s) {
    s = (s || "").trim().replace(/\s+/g, " ").toLowerCase();
    if (field === "postal_code") s = s.replace(/^se-?/, "").replace(/ /g, "");
    return s;
  }

  function describe(input, id, on) {
    var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) {
      return x && x !== id;
    });
    if (on) ids.push(id);
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  }

  function removeOffer(field) {
    var p = document.getElementById("offer-" + field);
    if (!p) return;
    p.parentNode.removeChild(p);
    describe(document.getElementById(field), "offer-" + field, false);
  }

  // offer shows, next to the field, the machine's value and a button that
  // takes it; the markup is the server's (new_case.html, "asset-offer").
  function offer(field, value) {
    removeOffer(field);
    var input = document.getElementById(field);
    var p = document.createElement("p");
    p.className = "asset-offer";
    p.id = "offer-" + field;
    p.setAttribute("data-testid", "offer-" + field);
    var span = document.createElement("span");
    span.textContent = "Skiljer sig från det valda objektet.";
    var b = document.createElement("button");
    b.type = "button";
    b.className = "link";
    b.setAttribute("data-use-field", field);
    b.setAttribute("data-use-value", value);
    b.setAttribute("data-testid", "use-offer-" + field);
    b.textContent = "Använd objektets: " + value;
    p.appendChild(span);
    p.appendChild(document.createTextNode(" "));
    p.appendChild(b);
    input.closest(".field").appendChild(p);
    describe(input, p.id, true);
  }

  // entry fills el with a machine's lines, as the server lists them
  // (new_case.html, "asset-entry").
  function entry(el, a) {
    [["asset-title", a.title], ["asset-details", a.details], ["asset-place", a.place]].forEach(function (part, i) {
      if (i) el.appendChild(document.createTextNode(" "));
      var s = document.createElement("span");
      s.className = part[0];
      s.textContent = part[1];
      el.appendChild(s);
    });
  }

  function clearChoice() {
    assetID.value = "";
    chosen.innerHTML = "";
    fields.forEach(removeOffer);
    query.focus();
  }

  // choose makes a the case's machine. It fills in only the fields left
  // empty; where a typed value differs, it keeps it and offers the
  // machine's next to the field.
  function choose(a) {
    assetID.value = a.id;
    var differ = [];
    fields.forEach(function (f) {
      var input = document.getElementById(f);
      var known = a[f] || "";
      removeOffer(f);
      if (!input || !known) return;
      if (!input.value.trim()) {
        input.value = known;
      } else if (norm(f, input.value) !== norm(f, known)) {
        offer(f, known);
        differ.push(labels[f]);
      }
    });
    query.value = "";
    box.innerHTML = "";
    chosen.innerHTML = "";
    var p = document.createElement("p");
    p.className = "chosen";
    p.setAttribute("data-testid", "chosen-asset");
    var lead = document.createElement("span");
    lead.textContent = "Valt objekt:";
    p.appendChild(lead);
    p.appendChild(document.createTextNode(" "));
    entry(p, a);
    p.appendChild(document.createTextNode(" "));
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "link";
    clear.setAttribute("data-testid", "clear-asset");
    clear.textContent = "Ta bort";
    clear.addEventListener("click", clearChoice);
    p.appendChild(clear);
    if (differ.length) {
      var note = document.createElement("span");
      note.className = "chosen-note";
      note.setAttribute("data-testid", "chosen-differs");
      note.textContent = "Det du skrev i " + differ.join(", ") + " står kvar. Objektets uppgift finns vid fältet.";
      p.appendChild(note);
    }
    chosen.appendChild(p);
    document.getElementById("site_name").focus();
  }

  function show(res) {
    box.innerHTML = "";
    var list = (res && res.assets) || [];
    var hits = document.createElement("p");
    hits.className = "hits";
    hits.setAttribute("data-testid", "asset-hits");
    hits.textContent = list.length ? res.hits : "Inga objekt matchade.";
    box.appendChild(hits);
    if (!list.length) return;
    // Nothing is preselected: the person chooses a machine by its button.
    var ul = document.createElement("ul");
    ul.setAttribute("aria-label", "Förslag på objekt");
    list.forEach(function (a) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button";
      b.setAttribute("data-testid", "asset-suggestion");
      entry(b, a);
      b.addEventListener("click", function () { choose(a); });
      li.appendChild(b);
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }

  function search() {
    var mine = ++seq;
    if (!query.value.trim()) {
      box.innerHTML = "";
      return;
    }
    fetch("/nytt-arende/objekt?q=" + encodeURIComponent(query.value), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (res) { if (mine === seq) show(res); })
      .catch(function () {});
  }

  function suggestions() { return Array.prototype.slice.call(box.querySelectorAll("button")); }

  query.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  query.addEventListener("keydown", function (e) {
    if (e.key === "Enter") {
      e.preventDefault();
      clearTimeout(timer);
      search();
    } else if (e.key === "ArrowDown" && suggestions().length) {
      e.preventDefault();
      suggestions()[0].focus();
    }
  });
  box.addEventListener("keydown", function (e) {
    var bs = suggestions(), i = bs.indexOf(document.activeElement);
    if (i < 0 || (e.key !== "ArrowDown" && e.key !== "ArrowUp")) return;
    e.preventDefault();
    if (e.key === "ArrowDown" && i < bs.length - 1) bs[i + 1].focus();
    else if (e.key === "ArrowUp") (i > 0 ? bs[i - 1] : query).focus();
  });

  // An offer's button takes the machine's value here, instead of posting
  // the form back (its markup also serves pages without this script).
  form.addEventListener("click", function (e) {
    var b = e.target.closest("[data-use-field]");
    if (!b) return;
    e.preventDefault();
    var f = b.getAttribute("data-use-field");
    var input = document.getElementById(f);
    input.value = b.getAttribute("data-use-value");
    removeOffer(f);
    input.focus();
  });
  // A server-rendered "Ta bort" also works in the page.
  chosen.addEventListener("click", function (e) {
    if (e.target.closest("[data-testid=clear-asset]") && e.target.type === "submit") {
      e.preventDefault();
      clearChoice();
    }
  });
  // An offer goes once the field says what the machine says, or nothing.
  fields.forEach(function (f) {
    var input = document.getElementById(f);
    if (!input) return;
    input.addEventListener("input", function () {
      var b = document.querySelector("#offer-" + f + " [data-use-value]");
      if (b && (!input.value.trim() || norm(f, input.value) === norm(f, b.getAttribute("data-use-value")))) removeOffer(f);
    });
  });

  // Portkod is asked for only with the choice Portkod. Hidden, it is also
  // disabled, so a code typed before another choice is not sent (the
  // server refuses a code with any other choice).
  var access = document.getElementById("access");
  var codeField = document.getElementById("door-code-field");
  var code = document.getElementById("door_code");
  function syncAccess(first) {
    // A message on the code stays in view on the page that shows it.
    var on = access.value === "Portkod" || (first === true && codeField.classList.contains("has-error"));
    codeField.hidden = !on;
    code.disabled = !on;
  }
  access.addEventListener("change", syncAccess);
  syncAccess(true);

  // More photos than the form takes: say so at once rather than after
  // Spara (the server refuses them too).
  var photos = document.getElementById("photos");
  var max = parseInt(photos.getAttribute("data-max"), 10);
  photos.addEventListener("change", function () {
    var msg = document.getElementById("too-many-photos");
    if (photos.files.length <= max) {
      if (msg) msg.parentNode.removeChild(msg);
      describe(photos, "too-many-photos", false);
      return;
    }
    if (!msg) {
      msg = document.createElement("p");
      msg.id = "too-many-photos";
      msg.className = "field-error";
      msg.setAttribute("role", "alert");
      msg.setAttribute("data-testid", "too-many-photos");
      photos.parentNode.insertBefore(msg, photos);
    }
    msg.textContent = "Du valde " + photos.files.length + " bilder. Välj högst " + max + ".";
    describe(photos, msg.id, true);
  });

  // Enter in a one-line field does not send this long form half filled
  // in (nor search, the first button's action); Spara does.
  form.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key === "Enter" && t !== query && t.tagName === "INPUT" && !/^(submit|button|file|radio|checkbox)$/.test(t.type)) {
      e.preventDefault();
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
