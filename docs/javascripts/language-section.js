// The language switcher lands on the same section: the n-th heading of this page is the n-th of
// every translation (checks/parity.py holds them to it), and site_build/language_switch.py writes
// each language's heading ids on its switcher link.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element && event.target.closest(".md-select__link[data-anchors]");
  if (!link) return;
  const own = document.querySelector(`.md-select__link[hreflang="${document.documentElement.lang}"][data-anchors]`);
  if (!own) return;
  const here = own.dataset.anchors.split(" ");
  const there = link.dataset.anchors.split(" ");
  const current = decodeURIComponent(location.hash.slice(1));
  let index = here.indexOf(current);
  if (index < 0 && window.scrollY > 0) {
    // No section in the address: the last heading scrolled past is where the reader is. A heading
    // in a closed <details> has no box (its top reads 0) and is not where the reader is.
    here.forEach((id, i) => {
      const heading = document.getElementById(id);
      if (heading && heading.getClientRects().length && heading.getBoundingClientRect().top <= 80) index = i;
    });
  }
  if (index > 0 && there[index]) link.href = `${link.href.split("#")[0]}#${encodeURIComponent(there[index])}`;
});
