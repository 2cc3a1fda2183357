// Tap targets smaller than 32 CSS px at this viewport (links inside running text and chart
// bars in SVG excepted). A checkbox counts with its label, as a thumb hits the label too.
() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])';
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    if (el.closest('.visually-hidden-focusable, template, [hidden], svg')) continue;
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
    // A link inside running text (a sentence) is exempt.
    if (el.tagName === 'A' && st.display === 'inline') {
      const block = el.parentElement.closest('p, li, dd, td, div, span, small');
      if (block && block.textContent.trim().length > el.textContent.trim().length + 2 && !el.closest('td, th')) continue;
    }
    if (r.width < 32 || r.height < 32) out.push({tag: el.tagName, text: (el.textContent || el.name || '').trim().slice(0, 30), w: Math.round(r.width), h: Math.round(r.height), cls: el.className.toString().slice(0, 40)});
  }
  return out;
}
