"""Diagrams as readers' Chromium shows them: both palettes, a 360 px phone, paper, keyboard, find."""

from __future__ import annotations

import base64
from urllib.parse import urljoin

import pytest
from browser_pages import open_page, search
from test_diagrams import DIAGRAM_PAGES

PHONE_WIDTH = 360
DESKTOP_WIDTH = 1280
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
    naturalWidth: svg.width.baseVal.value,
    drawnWidth: frame.width,
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
        # Too wide for the phone even at its floor: the diagram scrolls inside its own region.
        assert diagram["overflowX"] == "auto"
        assert diagram["regionWidth"] <= PHONE_WIDTH
        if _floor(diagram) > diagram["regionWidth"] + 0.5:
            assert diagram["scrollWidth"] > diagram["regionWidth"], f"{where}: too wide, yet does not scroll"


def _floor(diagram: dict) -> float:
    """The narrowest a diagram may be drawn: where its 16 px text is drawn at MIN_TEXT_PX."""
    return diagram["naturalWidth"] * MIN_TEXT_PX / 16


@pytest.mark.browser
@pytest.mark.parametrize("page_file", DIAGRAM_PAGES, ids=lambda p: p.url or "/")
def test_on_a_desktop_a_diagram_whose_floor_fits_is_shown_whole(browser, site_url, page_file):
    for diagram in _layout(browser, urljoin(site_url, page_file.url), width=DESKTOP_WIDTH):
        where, column = diagram["name"], diagram["regionWidth"]
        if _floor(diagram) <= column:
            assert diagram["scrollWidth"] <= column, f"{where}: cut at {column} px, fits at {_floor(diagram):.0f}"
        else:
            assert diagram["drawnWidth"] >= _floor(diagram) - 0.5, f"{where}: shrunk below its floor"
        # Never drawn larger than its natural size, and its text never under the floor.
        assert diagram["drawnWidth"] <= diagram["naturalWidth"] + 0.5, where
        assert all(label["px"] >= MIN_TEXT_PX for label in diagram["labels"]), where


# The page's own Chromium decodes a screenshot (the policy allows data: images): no imaging library.
PIXELS = """
async (png) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  [canvas.width, canvas.height] = [image.width, image.height];
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  return [...context.getImageData(0, 0, image.width, image.height).data].filter((_, i) => i % 4 !== 3);
}
"""
# A cue differs from the page's background by far more than this; gradients and flat fills of one
# colour may round differently by a level or two.
CUE_LEVELS = 6


def _edge_cues(page, region) -> tuple[bool, bool]:
    """Whether a band at the region's left and right edge differs from its middle, drawing hidden.

    Bands 6 px wide, 2 px in from each edge (the cue is strongest there, sub-pixel seams are not), over
    the region's visible middle, away from the sticky header and the scrollbar.
    """
    region.evaluate("r => { r.querySelector('svg').style.visibility = 'hidden'; }")
    box = region.bounding_box()
    top, bottom = max(box["y"], 120), min(box["y"] + region.evaluate("r => r.clientHeight"), 800)
    band = {"y": (top + bottom) / 2 - 20, "width": 6, "height": 40}
    left, right, middle = (
        page.evaluate(PIXELS, base64.b64encode(page.screenshot(clip={**band, "x": x})).decode("ascii"))
        for x in (box["x"] + 2, box["x"] + box["width"] - 8, box["x"] + box["width"] / 2 - 3)
    )
    region.evaluate("r => { r.querySelector('svg').style.visibility = ''; }")

    def differs(edge: list[int]) -> bool:
        return max(abs(a - b) for a, b in zip(edge, middle, strict=True)) > CUE_LEVELS

    return differs(left), differs(right)


@pytest.mark.browser
@pytest.mark.parametrize("width", [PHONE_WIDTH, DESKTOP_WIDTH])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_region_shows_a_scroll_cue_only_where_it_overflows(browser, site_url, width, scheme):
    overflowing = 0
    for page_file in DIAGRAM_PAGES:
        page, _ = open_page(browser, urljoin(site_url, page_file.url), width=width, color_scheme=scheme)
        for region in page.locator("div.diagram").all():
            region.scroll_into_view_if_needed()
            where = f"{page_file.url} {region.get_attribute('aria-label')}"
            scrolls = region.evaluate("r => r.scrollWidth > r.clientWidth")
            # Before any scrolling nothing is hidden on the left; on the right only when it overflows.
            assert _edge_cues(page, region) == (False, scrolls), f"{where}: scrolls={scrolls}"
            if scrolls:
                overflowing += 1
                region.evaluate("r => { r.scrollLeft = r.scrollWidth - r.clientWidth; }")
                assert _edge_cues(page, region) == (True, False), f"{where}: the cue does not follow the scroll"
        page.context.close()
    # The phone has diagrams wider than their floor fits: the cue is seen at least there.
    assert overflowing or width == DESKTOP_WIDTH


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
