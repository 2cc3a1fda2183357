// Tap targets smaller than `minimum` CSS px at this viewport (links inside running text
// excepted). Links in SVG (map areas, chart bars) count like any other, unless the page offers
// the same link as a target of full size (WCAG 2.5.8's "equivalent" exception: a small map area
// whose area also has its row in the table). A checkbox counts with its label, as a thumb hits
// the label too.
(minimum = 32) => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])';
  const href = (el) => el.getAttribute('href') || el.getAttribute('xlink:href');
  const out = [];
  const besar = new Set();
  const kecil = [];
  for (const el of document.querySelectorAll(sel)) {
    if (el.closest('.visually-hidden-focusable, template, [hidden]')) continue;
    let target = el;
    if ((el.type === 'checkbox' || el.type === 'radio') && el.id) {
      const label = document.querySelector(`label[for="${el.id}"]`);
      if (label) target = label.closest('.form-check') || label;
    }
    if ((el.type === 'checkbox' || el.type === 'radio') && el.closest('label')) {
      target = el.closest('label');
    }
    const r = target.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden' || st.display === 'none') continue;
    const svg = el instanceof SVGElement;
    // A link inside running text (a sentence) is exempt.
    if (!svg && el.tagName === 'A' && st.display === 'inline') {
      const block = el.parentElement.closest('p, li, dd, td, div, span, small');
      if (block && block.textContent.trim().length > el.textContent.trim().length + 2 && !el.closest('td, th')) continue;
    }
    const teks = (el.getAttribute('aria-label') || el.textContent || el.name || '').trim().slice(0, 30);
    const info = {tag: el.tagName, text: teks, w: Math.round(r.width), h: Math.round(r.height), cls: (el.getAttribute('class') || '').slice(0, 40), svg};
    if (r.width < minimum || r.height < minimum) kecil.push([el, info]);
    else if (href(el)) besar.add(href(el));
  }
  for (const [el, info] of kecil) {
    if (info.svg && href(el) && besar.has(href(el))) continue;
    out.push(info);
  }
  return out;
}
