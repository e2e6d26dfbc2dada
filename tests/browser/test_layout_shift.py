"""The first paint is final: no layout shift on a slow phone (issue 11, item 6).

Each page loads at a phone's width with the CPU slowed four times and a slow 4G
network (Lighthouse's mobile preset), both through the Chrome DevTools Protocol,
while a PerformanceObserver adds up every `layout-shift` entry not caused by
input. The menu that used to open on the first paint and close when the
deferred portal.js ran moved the page by 0.41; the target is under 0.05
(Lighthouse's "good" is 0.1).
"""

import pytest

from tests.browser.conftest import WIDTHS

pytestmark = pytest.mark.browser

# Lighthouse's mobileSlow4G: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, with
# the same 3.75x adjustment of latency and 0.9 of throughput that DevTools applies.
SLOW_4G = {
    "offline": False,
    "latency": 150 * 3.75,
    "downloadThroughput": 1.6 * 1024 * 1024 / 8 * 0.9,
    "uploadThroughput": 750 * 1024 / 8 * 0.9,
}
CPU_SLOWDOWN = 4
GOOD_CLS = 0.05

# Runs before the page's own code, so no shift is missed; `buffered` as well, for
# any shift recorded before the observer existed.
OBSERVE_SHIFTS = """
window.__layoutShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__layoutShifts.push({
      value: entry.value,
      at: Math.round(entry.startTime),
      moved: entry.sources.map((source) => {
        const node = source.node;
        const name = node && node.nodeType === 1
          ? node.tagName.toLowerCase() + (node.id ? "#" + node.id : "")
            + (node.className && typeof node.className === "string"
               ? "." + node.className.trim().split(/\\s+/).join(".") : "")
          : String(node && node.nodeName);
        return name + " " + source.previousRect.y + "->" + source.currentRect.y;
      }),
    });
  }
}).observe({type: "layout-shift", buffered: true});
"""


def layout_shifts(browser, url: str) -> list[dict]:
    """Every layout shift while `url` loads on a throttled phone."""
    context = browser.new_context(viewport={"width": WIDTHS["phone"], "height": 800})
    context.add_init_script(OBSERVE_SHIFTS)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    # The browser's cache would hide the network; every load is a first visit.
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    try:
        page.goto(url, wait_until="networkidle", timeout=60_000)
        # Let the last frame after the load (fonts, deferred scripts) be painted and observed.
        page.evaluate("new Promise((done) => requestAnimationFrame(() => setTimeout(done, 100)))")
        return page.evaluate("window.__layoutShifts")
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/", "/events/", "/volunteer/apply/"])
def test_page_does_not_shift_while_loading_on_a_slow_phone(browser, site, path):
    shifts = layout_shifts(browser, site.url + path)
    cumulative = sum(shift["value"] for shift in shifts)
    assert cumulative < GOOD_CLS, f"cumulative layout shift {cumulative:.3f} on {path}: {shifts}"


def test_the_observer_sees_a_shift_when_there_is_one(browser, site):
    """The measurement itself works: a shift made on purpose is counted."""
    context = browser.new_context(viewport={"width": WIDTHS["phone"], "height": 800})
    context.add_init_script(OBSERVE_SHIFTS)
    page = context.new_page()
    try:
        page.goto(site.url + "/")
        # Playwright's evaluate is not subject to the page's CSP.
        page.evaluate(
            """new Promise((done) => requestAnimationFrame(() => {
                 document.querySelector(".site-header").style.paddingBlockStart = "300px";
                 requestAnimationFrame(() => setTimeout(done, 100));
               }))"""
        )
        shifts = page.evaluate("window.__layoutShifts")
    finally:
        context.close()
    assert sum(shift["value"] for shift in shifts) > GOOD_CLS
