/* Forms: every error at once, next to its field. Before submit the browser runs the checks it
   can (required fields, 16-digit NIK/No KK, exactly one Kepala Keluarga) with the server's own
   messages; the server stays the authority and answers with the same summary. No inline JS. */
(function () {
  "use strict";

  var WAJIB = "Bidang ini tidak boleh kosong.";
  var KEPALA_TIDAK_ADA = "Tentukan tepat satu anggota yang masih hidup sebagai Kepala Keluarga " +
    "(kolom Hubungan dalam keluarga).";

  function tampak(el) {
    return !el.disabled && !el.closest(".d-none, [hidden], template");
  }

  function barisDihapus(el) {
    var baris = el.closest("[data-anggota-baris]");
    if (!baris) return false;
    var hapus = baris.querySelector("[data-hapus-lama], [data-hapus-input]");
    return !!(hapus && hapus.checked);
  }

  function labelDari(el) {
    var label = el.id ? document.querySelector('label[for="' + el.id + '"]') : null;
    var teks = label ? label.textContent.replace(/\s*\*\s*$/, "").trim() : el.name;
    var baris = el.closest("[data-anggota-baris]");
    if (baris) {
      var nomor = baris.querySelector("[data-nomor]");
      teks = "Anggota " + (nomor ? nomor.textContent.trim() : "") + " — " + teks;
    }
    return teks;
  }

  // Same wording as the server's bersihkan_nomor for the common mistakes.
  function nomor16(el) {
    var v = el.value.trim();
    var label = el.getAttribute("data-nomor16");
    if (v.charAt(0) === "'") v = v.slice(1);
    if (!v) return "";
    if (/[\s.\-\/]/.test(v) && /^[0-9\s.\-\/]+$/.test(v)) {
      return label + " harus ditulis tanpa spasi atau tanda pemisah (titik, tanda hubung, " +
        "garis miring); tulis 16 angka bersambung.";
    }
    if (/[^0-9]/.test(v)) return label + " hanya boleh berisi angka 0–9, tanpa huruf atau simbol.";
    if (v.length !== 16) return label + " harus 16 digit angka; yang diisi " + v.length + " digit.";
    return "";
  }

  function pesanUntuk(el) {
    if (el.required && !String(el.value).trim() && el.type !== "checkbox" && el.type !== "radio") {
      return WAJIB;
    }
    if (el.hasAttribute("data-nomor16")) {
      var p = nomor16(el);
      if (p) return p;
    }
    if (el.willValidate && !el.checkValidity()) {
      return el.getAttribute("data-pesan") || el.validationMessage;
    }
    return "";
  }

  function aturanKepala(form) {
    var daftar = form.querySelector("[data-anggota-daftar]");
    if (!daftar) return null;
    var jumlah = 0;
    daftar.querySelectorAll("[data-anggota-baris]").forEach(function (baris) {
      if (!tampak(baris) || barisDihapus(baris.firstElementChild || baris)) return;
      var hub = baris.querySelector('select[name$="-hubungan"]');
      var hidup = baris.querySelector('select[name$="-status_hidup"]');
      var masihHidup = !hidup || !hidup.value || hidup.value === "hidup";
      if (hub && hub.value === "kepala_keluarga" && masihHidup) jumlah += 1;
    });
    if (jumlah === 1) return null;
    if (jumlah === 0) return KEPALA_TIDAK_ADA;
    return "Satu keluarga hanya boleh memiliki satu Kepala Keluarga yang masih hidup; saat ini ada " +
      jumlah + ". Ubah hubungan anggota lainnya.";
  }

  function bersihkan(form) {
    form.querySelectorAll("[data-galat-klien]").forEach(function (n) { n.remove(); });
    form.querySelectorAll("[data-invalid-klien]").forEach(function (el) {
      el.classList.remove("is-invalid");
      el.removeAttribute("data-invalid-klien");
      el.removeAttribute("aria-invalid");
    });
  }

  function tandai(el, pesan) {
    var div = document.createElement("div");
    div.className = "invalid-feedback d-block";
    div.id = (el.id || el.name) + "_klien";
    div.setAttribute("data-galat-klien", "");
    div.textContent = pesan;
    el.insertAdjacentElement("afterend", div);
    if (!el.classList.contains("is-invalid")) {
      el.classList.add("is-invalid");
      el.setAttribute("data-invalid-klien", "");
    }
    el.setAttribute("aria-invalid", "true");
    var desc = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (d) {
      return d && !/_klien$/.test(d);
    });
    desc.push(div.id);
    el.setAttribute("aria-describedby", desc.join(" "));
  }

  function ringkasan(form, items) {
    var lama = document.querySelector("[data-ringkasan-galat]");
    if (lama) lama.remove();
    var box = document.createElement("div");
    box.className = "alert alert-danger";
    box.id = "ringkasan-galat";
    box.tabIndex = -1;
    box.setAttribute("role", "alert");
    box.setAttribute("data-ringkasan-galat", "");
    box.setAttribute("data-galat-klien", "");
    box.setAttribute("data-testid", "ringkasan-galat");
    var h = document.createElement("h2");
    h.className = "h6";
    h.textContent = "Ada " + items.length + " isian yang perlu diperbaiki";
    var ul = document.createElement("ul");
    ul.className = "mb-0";
    items.forEach(function (it) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.className = "link-danger";
      a.href = "#" + it.id;
      a.setAttribute("data-ke-isian", it.id);
      a.textContent = it.teks;
      li.appendChild(a);
      ul.appendChild(li);
    });
    box.appendChild(h);
    box.appendChild(ul);
    var csrf = form.querySelector('input[name="csrfmiddlewaretoken"]');
    form.insertBefore(box, csrf ? csrf.nextSibling : form.firstChild);
    box.focus();
  }

  function periksa(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-periksa]")) return;
    if (event.submitter && event.submitter.hasAttribute("formnovalidate")) return;
    bersihkan(form);
    var items = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit" || el.type === "button") return;
      if (!tampak(el) || barisDihapus(el)) return;
      var pesan = pesanUntuk(el);
      if (!pesan) return;
      tandai(el, pesan);
      items.push({ id: el.id, teks: labelDari(el) + ": " + pesan });
    });
    var kepala = aturanKepala(form);
    if (kepala) items.push({ id: "anggota-daftar", teks: kepala });
    if (items.length) {
      event.preventDefault();
      ringkasan(form, items);
    }
  }

  // A summary link focuses its field (an anchor alone only scrolls, under the sticky header).
  function keIsian(event) {
    var link = event.target.closest ? event.target.closest("[data-ke-isian]") : null;
    if (!link) return;
    var target = document.getElementById(link.getAttribute("data-ke-isian"));
    if (!target) return;
    event.preventDefault();
    if (!target.matches("input, select, textarea, button, a[href]")) target.tabIndex = -1;
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }

  document.addEventListener("submit", periksa, true);
  document.addEventListener("click", keIsian);
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-ringkasan-galat]");
    if (box) box.focus();
  });
})();
