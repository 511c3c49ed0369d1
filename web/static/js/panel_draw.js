// While the panel is being drawn (in the background on the server), ask every
// few seconds whether the draw is still running and reload the page when it is
// done, so the panel or the reason it failed appears. Without JavaScript the
// page's "Refresh the page" link does the same.
const box = document.querySelector("[data-draw-status]");
const EVERY_MS = 3000;

async function check() {
  try {
    const r = await fetch(box.dataset.drawStatus, {
      headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store",
    });
    if (r.ok && !(await r.json()).running) {
      window.location.reload();
      return;
    }
  } catch {
    // Offline for a moment: the next check tries again.
  }
  setTimeout(check, EVERY_MS);
}

if (box) setTimeout(check, EVERY_MS);
