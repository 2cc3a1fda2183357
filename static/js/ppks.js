/* PPKS form: show the fields of the chosen subject kind, and make Enter do the expected thing
   (search in the search box, save elsewhere). Without JavaScript every section stays visible and
   Enter runs the server-side search, which never saves. */
(function () {
  "use strict";

  var form = document.getElementById("ppks-form");
  if (!form) return;

  function chosen() {
    var checked = form.querySelector("input[name=subjek]:checked");
    return checked ? checked.value : "";
  }

  function showPanels() {
    var value = chosen();
    form.querySelectorAll("[data-subjek-panel]").forEach(function (panel) {
      var kinds = panel.getAttribute("data-subjek-panel").split(" ");
      panel.hidden = !value || kinds.indexOf(value) === -1;
    });
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "subjek") showPanels();
  });

  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    var target = event.target;
    if (target.tagName !== "INPUT" || target.type === "submit" || target.type === "radio") return;
    event.preventDefault();
    if (target.id === "id_cari_subjek") {
      if (window.htmx) window.htmx.trigger(target, "search");
      return;
    }
    var save = form.querySelector("button[name=_simpan]");
    if (save && form.requestSubmit) form.requestSubmit(save);
  });

  showPanels();
})();
