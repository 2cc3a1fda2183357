/* Lists with checkboxes (batch submit/verify): "select all on this page". CSP-safe file. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-pilih-semua]")) return;
    var formId = box.getAttribute("data-pilih-semua");
    var selector = 'input[type=checkbox][name=uuid][form="' + formId + '"]:not(:disabled),' +
      "#" + formId + " input[type=checkbox][name=uuid]:not(:disabled)";
    document.querySelectorAll(selector).forEach(function (cb) { cb.checked = box.checked; });
  });
})();
