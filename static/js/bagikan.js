/* The partner link: "Salin tautan" (clipboard) and "Bagikan" (Web Share API) where the browser
   offers them; the WhatsApp link stays as the fallback. A file, not inline (CSP). */
(function () {
  "use strict";

  function salin(teks, kotak) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(teks);
    }
    // Plain http on a local network: the old way, from the selected text.
    kotak.focus();
    kotak.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject();
  }

  document.querySelectorAll("[data-bagikan-tautan]").forEach(function (wadah) {
    var kotak = document.getElementById(wadah.getAttribute("data-target"));
    var status = wadah.querySelector("[data-status-salin]");
    var tombolSalin = wadah.querySelector("[data-salin]");
    var tombolBagikan = wadah.querySelector("[data-bagikan]");
    if (!kotak) return;
    var tautan = kotak.value.trim();
    // The whole link in view: as many lines as this screen needs (two on most phones).
    while (kotak.scrollHeight > kotak.clientHeight + 1 && kotak.rows < 6) kotak.rows += 1;

    if (tombolSalin && (navigator.clipboard || document.queryCommandSupported("copy"))) {
      tombolSalin.hidden = false;
      tombolSalin.addEventListener("click", function () {
        salin(tautan, kotak).then(
          function () { status.textContent = "Tautan disalin."; },
          function () { status.textContent = "Tidak dapat menyalin; tekan lama tautan di atas."; }
        );
      });
    }
    if (tombolBagikan && navigator.share) {
      tombolBagikan.hidden = false;
      tombolBagikan.addEventListener("click", function () {
        navigator.share({ title: wadah.getAttribute("data-judul"), url: tautan }).catch(function () {
          // Closing the share sheet is not an error worth showing.
        });
      });
    }
  });
})();
