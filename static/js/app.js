/* Sistem Informasi TKSK: small progressive enhancements. Loaded as a file (CSP: no inline JS). */
(function () {
  "use strict";

  // Area cascade (kabupaten -> kecamatan -> desa): choosing a parent loads its children and
  // empties every select further down the chain.
  function clearBelow(select) {
    var targetId = select.getAttribute("data-cascade-target");
    while (targetId) {
      var target = document.getElementById(targetId);
      if (!target) break;
      target.innerHTML = '<option value="">---------</option>';
      targetId = target.getAttribute("data-cascade-target");
    }
  }

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-cascade-url]")) return;
    clearBelow(select);
    if (!select.value) return;
    var url = select.getAttribute("data-cascade-url") + "?induk=" + encodeURIComponent(select.value);
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var target = document.getElementById(select.getAttribute("data-cascade-target"));
        if (target && html) target.innerHTML = html;
      });
  });
})();
