"""Diagrams as readers' Chromium shows them: both palettes, a 360 px phone, paper, keyboard, find."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from browser_pages import open_page, search
from test_diagrams import DIAGRAM_PAGES

PHONE_WIDTH = 360
# Below this a label is hard to read on a phone; measured as the rendered size, after any scaling.
MIN_TEXT_PX = 11
MIN_CONTRAST = 4.5

CONTRAST = """
() => {
  const parse = (c) => {
    const v = (c.match(/[\\d.]+/g) || []).map(Number);
    return v.length < 3 ? null : { r: v[0], g: v[1], b: v[2], a: v.length > 3 ? v[3] : 1 };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a), a: 1,
  });
  const lum = ({ r, g, b }) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const results = [];
  for (const text of document.querySelectorAll("div.diagram text")) {
    if (!text.textContent.trim()) continue;
    text.scrollIntoView({ block: "center", inline: "center" });
    const box = text.getBoundingClientRect();
    // What is painted under the middle of the label, top to bottom, down to the first opaque layer.
    const layers = [];
    for (const element of document.elementsFromPoint(box.left + box.width / 2, box.top + box.height / 2)) {
      if (element.closest("text")) continue;
      const style = getComputedStyle(element);
      const isShape = element instanceof SVGElement && !(element instanceof SVGSVGElement);
      const color = parse(isShape ? (style.fill.startsWith("rgb") ? style.fill : "") : style.backgroundColor);
      if (!color || color.a === 0) continue;
      if (isShape) color.a *= Number(style.fillOpacity) * Number(style.opacity);
      layers.push(color);
      if (color.a >= 1) break;
    }
    const background = layers.reverse().reduce((below, layer) => over(layer, below), { r: 255, g: 255, b: 255, a: 1 });
    const fg = parse(getComputedStyle(text.querySelector("tspan") || text).fill);
    const [hi, lo] = [lum(fg), lum(background)].sort((a, b) => b - a);
    results.push({ text: text.textContent.trim(), ratio: (hi + 0.05) / (lo + 0.05) });
  }
  return { scheme: document.body.getAttribute("data-md-color-scheme"), results };
}
"""

LAYOUT = """
() => document.querySelectorAll("div.diagram").length && [...document.querySelectorAll("div.diagram")].map((region) => {
  const svg = region.querySelector("svg");
  const frame = svg.getBoundingClientRect();
  const scale = frame.width / svg.viewBox.baseVal.width;
  // A label is one <text>, or the <text> lines mermaid stacks for one sequence participant.
  const groups = new Map();
  for (const text of [...svg.querySelectorAll("text")].filter((t) => t.textContent.trim())) {
    const key = text.classList.contains("actor") ? text.parentElement : text;
    groups.set(key, [...(groups.get(key) || []), text]);
  }
  const labels = [...groups.values()].map((texts) => {
    const boxes = texts.map((t) => t.getBoundingClientRect());
    const rows = texts.flatMap((text) => {
      const lines = [...text.children].filter((c) => c.tagName === "tspan" && c.hasAttribute("x"));
      return lines.length ? lines : [text];
    });
    return {
      text: texts.map((t) => t.textContent.trim()).join(" "),
      box: {
        left: Math.min(...boxes.map((b) => b.left)), top: Math.min(...boxes.map((b) => b.top)),
        right: Math.max(...boxes.map((b) => b.right)), bottom: Math.max(...boxes.map((b) => b.bottom)),
      },
      px: Math.min(...texts.map((t) => parseFloat(getComputedStyle(t).fontSize))) * scale,
      lines: rows.map((row) => row.textContent.trim()),
    };
  });
  return {
    name: region.getAttribute("aria-label"),
    frame: { left: frame.left, top: frame.top, right: frame.right, bottom: frame.bottom },
    regionWidth: region.clientWidth,
    scrollWidth: region.scrollWidth,
    overflowX: getComputedStyle(region).overflowX,
    breakInside: getComputedStyle(region).breakInside,
    labels,
  };
})
"""


def _overlap(a: dict, b: dict) -> bool:
    width = min(a["right"], b["right"]) - max(a["left"], b["left"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    # Two lines of one label share a few pixels of their boxes (a glyph box is taller than the line
    # spacing); a quarter of a line is overlap a reader sees.
    return width > 1 and height > MIN_TEXT_PX / 2


def _layout(browser, url: str, **options) -> list[dict]:
    page, visit = open_page(browser, url, **options)
    layout = page.evaluate(LAYOUT)
    assert visit.page_errors == []
    page.context.close()
    return layout


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_file", DIAGRAM_PAGES, ids=lambda p: p.url or "/")
def test_every_diagram_text_contrasts_with_what_is_behind_it(browser, site_url, page_file, scheme):
    page, _ = open_page(browser, urljoin(site_url, page_file.url), color_scheme=scheme)
    measured = page.evaluate(CONTRAST)
    page.context.close()
    assert measured["scheme"] == ("slate" if scheme == "dark" else "default")
    assert measured["results"]
    low = [r for r in measured["results"] if r["ratio"] < MIN_CONTRAST]
    assert low == [], low


@pytest.mark.browser
@pytest.mark.parametrize("page_file", DIAGRAM_PAGES, ids=lambda p: p.url or "/")
def test_diagrams_are_legible_on_a_360_px_phone(browser, site_url, page_file):
    for diagram in _layout(browser, urljoin(site_url, page_file.url), width=PHONE_WIDTH):
        where, frame, labels = diagram["name"], diagram["frame"], diagram["labels"]
        for label in labels:
            box = label["box"]
            inside = (
                box["left"] >= frame["left"] - 0.5
                and box["right"] <= frame["right"] + 0.5
                and box["top"] >= frame["top"] - 0.5
                and box["bottom"] <= frame["bottom"] + 0.5
            )
            assert inside, f"{where}: {label['text']!r} runs out of the drawing"
            assert label["px"] >= MIN_TEXT_PX, f"{where}: {label['text']!r} is drawn at {label['px']:.1f} px"
            if len(label["text"]) > 1:
                lone = [line for line in label["lines"] if len(line) == 1]
                assert not lone, f"{where}: {label['text']!r} wraps into a lone {lone}"
        for index, label in enumerate(labels):
            for other in labels[index + 1 :]:
                assert not _overlap(label["box"], other["box"]), f"{where}: {label['text']!r} / {other['text']!r}"
        # Too wide for the phone: the diagram keeps its size and scrolls inside its own region.
        assert diagram["overflowX"] == "auto"
        assert diagram["regionWidth"] <= PHONE_WIDTH


@pytest.mark.browser
def test_the_page_itself_never_scrolls_sideways_on_a_phone(browser, site_url):
    for page_file in DIAGRAM_PAGES:
        page, _ = open_page(browser, urljoin(site_url, page_file.url), width=PHONE_WIDTH)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH, page_file.url
        page.context.close()


@pytest.mark.browser
def test_a_wide_diagram_scrolls_with_the_keyboard(browser, site_url):
    page, _ = open_page(browser, urljoin(site_url, "overlay/"), width=PHONE_WIDTH)
    region = page.get_by_role("group", name="図: オーバーレイ ネットワークでの IP の割り当て")
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('diagram')")
    before = region.evaluate("r => r.scrollLeft")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0", timeout=5_000)
    assert region.evaluate("r => r.scrollLeft") > before
    page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("page_file", DIAGRAM_PAGES, ids=lambda p: p.url or "/")
def test_on_paper_a_diagram_fits_the_page_and_is_never_cut(browser, site_url, page_file):
    # A4 at 96 dpi; Chromium lays the page out for print.
    for diagram in _layout(browser, urljoin(site_url, page_file.url), width=794, media="print"):
        assert diagram["breakInside"] == "avoid", diagram["name"]
        frame = diagram["frame"]
        assert frame["right"] - frame["left"] <= diagram["regionWidth"] + 0.5, diagram["name"]


@pytest.mark.browser
def test_a_printed_page_keeps_its_diagrams(browser, site_url):
    page, _ = open_page(browser, urljoin(site_url, "en/overlay/"), media="print")
    pdf = page.pdf(format="A4")
    page.context.close()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


@pytest.mark.browser
@pytest.mark.parametrize(
    ("url", "title", "label"),
    [
        ("overlay/", "オーバーレイ ネットワークでの IP の割り当て", "ノードごとに /24 を切り出し"),
        ("en/overlay/", "How IPs are assigned in the overlay network", "A /24 carved out for each node"),
    ],
)
def test_a_diagram_is_a_named_image_whose_labels_are_real_text(browser, site_url, url, title, label):
    page, _ = open_page(browser, urljoin(site_url, url))
    image = page.get_by_role("img", name=title)
    assert image.count() == 1
    assert image.evaluate("svg => document.getElementById(svg.getAttribute('aria-describedby')).textContent")
    # The browser's find and selection reach the labels: they are text, not pictures of text.
    assert page.evaluate("label => window.find(label)", label)
    assert label in page.evaluate("() => window.getSelection().toString()") or page.evaluate(
        "() => getSelection().anchorNode && getSelection().anchorNode.parentElement.closest('div.diagram') !== null"
    )
    page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("start", "term", "found", "other_language"),
    # lunr stems indexed words but not a query typed as a prefix: the English term is its own stem.
    [("en/overlay/", "core", "en/flat/", "/flat/"), ("flat/", "切り出し", "overlay/", "/en/")],
)
def test_the_site_search_finds_a_diagram_label_in_its_language(browser, site_url, start, term, found, other_language):
    page, _ = open_page(browser, urljoin(site_url, start))
    results = search(page, term)
    page.context.close()
    assert urljoin(site_url, found) in results, results
    assert not [r for r in results if r.startswith(urljoin(site_url, other_language)) and found not in r], results
