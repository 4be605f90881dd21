// Sök ärende: "Se åtgärder" opens the case's actions inline, below its row,
// without leaving the list. Without this script the link opens the actions
// on a page of their own.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a.inline-actions");
    if (!link || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    var row = link.closest("tr");
    var open = row.nextElementSibling;
    if (open && open.classList.contains("inline-row")) {
      open.remove();
      link.setAttribute("aria-expanded", "false");
      return;
    }
    fetch(link.href + "?del=1", { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.text();
      })
      .then(function (html) {
        var tr = document.createElement("tr");
        tr.className = "inline-row";
        var td = document.createElement("td");
        td.colSpan = row.children.length;
        td.innerHTML = html;
        td.setAttribute("data-testid", "inline-actions");
        tr.appendChild(td);
        row.after(tr);
        link.setAttribute("aria-expanded", "true");
      })
      .catch(function () { window.location.href = link.href; });
  });
})();
