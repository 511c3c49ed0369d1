// The moderators' queue: live refresh over the staff websocket, decisions sent
// without reloading, keyboard shortcuts. Without this script the page still
// works: every decision is a plain form that posts and comes back.
//
// Events are a doorbell: the queue HTML is always re-read from the server (which
// escapes all resident text), never built here from event data. Staying
// connected is livesocket.js's work.
import { LiveSocket } from "./livesocket.js";

const queue = document.getElementById("queue");
const i18n = JSON.parse(document.getElementById("moderation-i18n").textContent);
const liveStatus = document.getElementById("queue-live");
const alertBox = document.getElementById("queue-alert");
const shortcuts = document.getElementById("shortcuts");
const QUEUE_KINDS = new Set([
  "post_held", "post_flagged", "post_hidden", "post_published", "moderation_decided",
  "participant_sanctioned", "statement_text_held",
]);
let stale = false;

function say(text) {
  liveStatus.textContent = text;
}

function alertText(text) {
  alertBox.textContent = "";
  const p = document.createElement("p");
  p.textContent = text;
  alertBox.append(p);
}

function items() {
  return Array.from(queue.querySelectorAll(".queue-item"));
}

function currentItem() {
  return document.activeElement?.closest?.(".queue-item") ?? null;
}

function editing() {
  // Never replace the list under a moderator who is writing or choosing.
  const el = document.activeElement;
  if (el && queue.contains(el) && el.matches("textarea, select, input")) return true;
  return Array.from(queue.querySelectorAll("textarea")).some((t) => t.value.trim() !== "");
}

async function refresh({ focusId = null, focusIndex = null } = {}) {
  const params = queue.dataset.session ? `?session=${encodeURIComponent(queue.dataset.session)}` : "";
  const hadFocus = queue.contains(document.activeElement);
  const keepId = focusId ?? currentItem()?.dataset.postId ?? null;
  const keepIndex = focusIndex ?? items().findIndex((el) => el.dataset.postId === keepId);
  let response;
  try {
    response = await fetch(`/staff/moderation/queue${params}`, { headers: { Accept: "text/html" } });
  } catch {
    return;
  }
  if (response.redirected || !response.ok) {
    location.reload(); // logged out meanwhile: show the login page
    return;
  }
  const html = await response.text();
  const checked = new Set(Array.from(queue.querySelectorAll('input[name="post_id"]:checked'), (c) => c.value));
  queue.innerHTML = html; // server-rendered; resident text is escaped there
  queue.querySelectorAll('input[name="post_id"]').forEach((c) => { c.checked = checked.has(c.value); });
  stale = false;
  if (hadFocus || focusId !== null || focusIndex !== null) {
    const list = items();
    const target = list.find((el) => el.dataset.postId === keepId)
      ?? list[Math.min(Math.max(keepIndex, 0), list.length - 1)];
    (target ?? document.getElementById("queue-count"))?.focus?.();
  }
}

function onEvent(kind) {
  if (!QUEUE_KINDS.has(kind)) return;
  if (editing()) {
    stale = true;
    say(i18n.pending);
  } else {
    refresh();
  }
}

const STATUS_TEXT = { connecting: i18n.connecting, reconnecting: i18n.reconnecting, live: i18n.live };

const live = new LiveSocket({
  url: () => "/staff/moderation/live",
  onStatus: (state) => say(STATUS_TEXT[state]),
  onReady: ({ reconnected }) => { if (reconnected) refresh(); }, // what happened meanwhile
  onMessage: (msg) => { if (msg.type === "event") onEvent(msg.event.kind); },
  stopOn: { 4401: () => location.reload() }, // logged out: show the login page
});

async function send(form) {
  const item = form.closest(".queue-item");
  const index = items().indexOf(item);
  const button = form.querySelector("button");
  if (button) button.disabled = true;
  let body;
  try {
    const response = await fetch(form.action, {
      method: "POST", body: new FormData(form), headers: { Accept: "application/json" },
    });
    body = await response.json();
  } catch {
    alertText(i18n.network_error);
    if (button) button.disabled = false;
    return;
  }
  if (body.ok) say(body.message);
  else alertText(body.error?.message ?? i18n.network_error);
  // The decided message leaves the queue: the focus goes to the one after it.
  const sanction = form.dataset.action === "sanction";
  await refresh(sanction || !body.ok ? { focusId: item?.dataset.postId ?? null } : { focusIndex: index });
}

// The reason forms are folded away to keep the queue compact: open, then focus.
function focusReason(item, action) {
  const select = item?.querySelector(`form[data-action="${action}"] select`);
  const details = select?.closest("details");
  if (details) details.open = true;
  select?.focus();
}

document.addEventListener("submit", (e) => {
  const form = e.target;
  if (!(form instanceof HTMLFormElement)) return;
  if (!queue.contains(form) && form.id !== "bulk-form") return;
  e.preventDefault();
  send(form);
});

queue.addEventListener("focusout", () => {
  setTimeout(() => { if (stale && !editing()) refresh(); }, 0);
});

document.getElementById("refresh-queue").addEventListener("click", (e) => {
  e.preventDefault();
  refresh({ focusIndex: 0 }).then(() => say(i18n.updated));
});

function press(item, action) {
  item?.querySelector(`form[data-action="${action}"] button`)?.click();
}

function move(step) {
  const list = items();
  if (!list.length) return;
  const at = list.indexOf(currentItem());
  const next = at < 0 ? 0 : Math.min(Math.max(at + step, 0), list.length - 1);
  list[next].focus();
  list[next].scrollIntoView({ block: "nearest" });
}

document.addEventListener("keydown", (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.target.closest?.("input, textarea, select, [contenteditable]")) return;
  const item = currentItem();
  const keys = {
    j: () => move(1),
    k: () => move(-1),
    a: () => press(item, "approve"),
    u: () => { if (item?.classList.contains("queue-hidden")) press(item, "approve"); },
    d: () => press(item, "redact"),
    r: () => focusReason(item, "reject"),
    h: () => focusReason(item, "hide"),
    x: () => item?.querySelector('input[name="post_id"]')?.click(),
    "?": () => { shortcuts.open = !shortcuts.open; },
  };
  const action = keys[e.key];
  if (!action) return;
  e.preventDefault();
  action();
});

// Waiting times grow: re-read the queue now and then when nobody is typing.
setInterval(() => { if (!editing()) refresh(); }, 60000);
live.start();
