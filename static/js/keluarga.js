/* Household form: add/remove member rows without a page reload, and fill the GPS position with
   one tap. Loaded as a file (CSP: no inline JS). Works without JS too: the form still posts. */
(function () {
  "use strict";

  var daftar = document.querySelector("[data-anggota-daftar]");
  var kosong = document.getElementById("anggota-kosong");

  function totalInput() {
    var prefix = daftar.getAttribute("data-prefix");
    return document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  }

  // Number the visible rows 1, 2, 3... (hidden rows are deleted ones).
  function nomori() {
    var n = 0;
    daftar.querySelectorAll("[data-anggota-baris]").forEach(function (baris) {
      if (baris.classList.contains("d-none")) return;
      n += 1;
      var nomor = baris.querySelector("[data-nomor]");
      if (nomor) nomor.textContent = String(n);
    });
  }

  function tambah() {
    var total = totalInput();
    var index = parseInt(total.value, 10) || 0;
    var html = kosong.innerHTML.replace(/__prefix__/g, String(index));
    var wadah = document.createElement("div");
    wadah.innerHTML = html;
    var baris = wadah.querySelector("[data-anggota-baris]");
    daftar.appendChild(baris);
    total.value = String(index + 1);
    nomori();
    var pertama = baris.querySelector("input:not([type=hidden]):not([type=checkbox]), select");
    if (pertama) pertama.focus();
  }

  // A row typed in this session is dropped by ticking its hidden DELETE box (the formset then
  // ignores it) and hiding it; indices stay continuous for Django.
  function hapusBaris(tombol) {
    var baris = tombol.closest("[data-anggota-baris]");
    var hapus = baris.querySelector("[data-hapus-input]");
    if (hapus) hapus.checked = true;
    baris.classList.add("d-none");
    nomori();
  }

  if (daftar && kosong) {
    document.addEventListener("click", function (event) {
      var target = event.target;
      if (target.closest("[data-tambah-anggota]")) {
        event.preventDefault();
        tambah();
      } else if (target.closest("[data-hapus-baris]")) {
        event.preventDefault();
        hapusBaris(target.closest("[data-hapus-baris]"));
      }
    });
    // A stored member marked "Hapus (salah input)" is shown struck through until saved.
    document.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.matches || !box.matches("[data-hapus-lama]")) return;
      var baris = box.closest("[data-anggota-baris]");
      baris.classList.toggle("border-danger", box.checked);
      baris.classList.toggle("opacity-50", box.checked);
    });
    nomori();
  }

  // "Ambil lokasi": the phone's position into latitude/longitude (6 decimals, ~10 cm).
  var tombolLokasi = document.querySelector("[data-ambil-lokasi]");
  if (tombolLokasi) {
    var status = document.querySelector("[data-lokasi-status]");
    var lat = document.querySelector("[data-geo=latitude]");
    var lon = document.querySelector("[data-geo=longitude]");
    var tulis = function (pesan) { if (status) status.textContent = pesan; };
    tombolLokasi.addEventListener("click", function () {
      if (!("geolocation" in navigator)) {
        tulis("Perangkat ini tidak mendukung pengambilan lokasi. Isi koordinat secara manual.");
        return;
      }
      tombolLokasi.disabled = true;
      tulis("Mengambil lokasi…");
      navigator.geolocation.getCurrentPosition(
        function (pos) {
          lat.value = pos.coords.latitude.toFixed(6);
          lon.value = pos.coords.longitude.toFixed(6);
          var akurasi = Math.round(pos.coords.accuracy || 0);
          tulis("Lokasi terisi" + (akurasi ? " (akurasi ± " + akurasi + " m)." : "."));
          tombolLokasi.disabled = false;
        },
        function (err) {
          var pesan = {
            1: "Izin lokasi ditolak. Izinkan akses lokasi untuk situs ini, lalu coba lagi.",
            2: "Lokasi tidak dapat ditentukan. Coba di tempat terbuka.",
            3: "Waktu habis saat mengambil lokasi. Coba lagi."
          }[err.code] || "Lokasi tidak dapat diambil.";
          tulis(pesan);
          tombolLokasi.disabled = false;
        },
        { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
      );
    });
  }
})();
