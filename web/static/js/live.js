// Live updates for a session page. The page works without this script (forms
// post and reload); with it, new posts, replies and supports appear live and
// sending does not reload the page. Connecting, reconnecting and resuming
// without gaps is livesocket.js's work.
import { LiveSocket } from "./livesocket.js";

const root = document.getElementById("session");
const i18n = JSON.parse(document.getElementById("raati-i18n").textContent);
const statusEl = document.getElementById("live-status");
const announcer = document.getElementById("announcer");
const slug = root.dataset.slug;
const lang = root.dataset.lang;
let requestCounter = 0;
const pending = new Map(); // request_id -> {resolve, reject}

// The same shape as the server's times: "28.12.2026 klo 14.48" (date, then time).
const dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeZone: "Europe/Helsinki" });
const clockFormat = new Intl.DateTimeFormat(lang, { timeStyle: "short", timeZone: "Europe/Helsinki" });
const timeFormat = {
  format: (d) => fill(i18n.datetime, { date: dateFormat.format(d), time: clockFormat.format(d) }),
};

function fill(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, key) => String(values[key] ?? ""));
}

function supportText(n) {
  return fill(n === 1 ? i18n.support_one : i18n.support_many, { num: n });
}

function setStatus(text) {
  statusEl.hidden = !text;
  statusEl.textContent = text || "";
}

function announce(text) {
  // A fresh node per message makes screen readers read each one.
  const p = document.createElement("p");
  p.textContent = text;
  announcer.append(p);
  while (announcer.childElementCount > 5) announcer.firstElementChild.remove();
}

const STATUS_TEXT = { connecting: i18n.connecting, reconnecting: i18n.reconnecting, live: i18n.live };

const live = new LiveSocket({
  url: (lastSeq) => `/s/${encodeURIComponent(slug)}/live?after=${lastSeq}&lang=${lang}`,
  resume: true,
  lastSeq: Number(root.dataset.seq) || 0,
  onStatus: (state) => setStatus(STATUS_TEXT[state]),
  onMessage,
  onClose: () => {
    for (const p of pending.values()) p.reject(new Error("closed"));
    pending.clear();
  },
  onReady: () => sendQueued(), // what waited for the connection goes now
  stopOn: {
    4404: () => {}, // the session is gone: nothing to follow
    4409: () => location.reload(), // the page is ahead of the session (a stale copy): start over
  },
});

function onMessage(msg) {
  if (msg.type === "event") {
    handleEvent(msg.kind, msg.data);
  } else if (msg.type === "ack" || msg.type === "error") {
    const waiter = pending.get(msg.request_id);
    if (waiter) {
      pending.delete(msg.request_id);
      waiter.resolve(msg);
    }
  }
}

function handleEvent(kind, data) {
  if (kind === "post_published" || kind === "post_pending") {
    const isNew = !document.getElementById(`post-${data.post.id}`);
    showPost(data.post);
    if (isNew && kind === "post_published") {
      announce(fill(data.post.parent_id ? i18n.new_reply : i18n.new_idea, { author: data.post.author }));
    }
  } else if (kind === "post_support") {
    const post = document.getElementById(`post-${data.post_id}`);
    if (post) {
      post.querySelector(".support-count").textContent = supportText(data.support_count);
      placeThread(post.closest(".thread"));
    }
  } else if (kind === "post_rejected") {
    // Only the author hears of it: their held post says so and links to the reason.
    const post = document.getElementById(`post-${data.post_id}`);
    if (post) {
      post.querySelector(".held-note").hidden = false;
      post.querySelector(".held-text").textContent = i18n.rejected;
      announce(i18n.rejected);
    }
  } else if (kind === "post_hidden") {
    const post = document.getElementById(`post-${data.post_id}`);
    if (post) {
      const thread = post.closest(".thread");
      if (thread && thread.id === `thread-${data.post_id}`) thread.remove();
      else {
        post.closest("li")?.remove();
        placeThread(thread); // one reply fewer
      }
    }
  } else if (kind === "session_updated") {
    const title = document.getElementById("session-title");
    const before = title.textContent;
    showText(title, data.versions?.title, data.title);
    document.title = document.title.replace(before, title.textContent);
    for (const q of data.questions || []) {
      const heading = document.getElementById(`q-${q.id}-heading`);
      const link = root.querySelector(`.question-nav a[href="#q-${q.id}"]`);
      for (const el of [heading, link]) if (el) showText(el, q.versions, q.text);
    }
    if (data.state !== "open") stopTakingPosts();
  } else if (kind === "session_closed") {
    stopTakingPosts();
    setStatus(i18n.closed);
  }
}

// A text in the page's language, else the Finnish one marked lang="fi" (as the
// server marks a fallback, so screen readers read it right).
function showText(el, versions, finnish) {
  const own = (versions?.[lang] || "").trim();
  el.textContent = own || versions?.fi || finnish;
  if (own || lang === "fi") el.removeAttribute("lang");
  else el.lang = "fi";
}

function stopTakingPosts() {
  root.dataset.state = "closed";
  root.querySelectorAll(".post-form, details.reply").forEach((el) => el.remove());
  root.querySelectorAll(".support-button").forEach((b) => { b.disabled = true; });
}

function fillPost(article, post) {
  article.id = `post-${post.id}`;
  article.dataset.postId = post.id;
  article.querySelector(".author").textContent = post.author;
  const time = article.querySelector("time");
  time.dateTime = post.created_at;
  time.textContent = timeFormat.format(new Date(post.created_at));
  article.querySelector(".post-body").innerHTML = post.body_html; // sanitised on the server
  article.querySelector(".support-count").textContent = supportText(post.support_count);
  const held = post.status === "held";
  article.classList.toggle("post-held", held);
  article.querySelector(".held-note").hidden = !held;
  const ownTag = article.querySelector(".own-tag");
  if (post.own !== undefined) ownTag.hidden = !post.own;
  const own = !ownTag.hidden;
  const form = article.querySelector(".support-form");
  form.action = `/s/${slug}/posts/${post.id}/support`;
  const button = form.querySelector("button");
  if (own || held || root.dataset.state !== "open") button.disabled = true;
  const flag = article.querySelector(".flag");
  if (flag) {
    flag.hidden = own || held;
    flag.querySelector(".flag-form").action = `/s/${slug}/posts/${post.id}/flag`;
  }
  const why = article.querySelector(".held-note a");
  if (why) why.href = `/s/${slug}/my-posts#own-${post.id}`;
}

function threadScore(li, sort) {
  if (sort === "replied") return li.querySelector(".replies").childElementCount;
  return parseInt(li.querySelector(".support-count").textContent, 10) || 0;
}

// The server's order (deliberation/listing.py): the count, then newest first.
function goesBefore(a, b, sort) {
  const diff = threadScore(a, sort) - threadScore(b, sort);
  return diff > 0 || (diff === 0 && ideaId(a) > ideaId(b));
}

function ideaId(li) {
  return Number(li.id.replace("thread-", ""));
}

// A text field of the idea has focus: someone is writing a reply there.
function isWritingIn(li) {
  const active = document.activeElement;
  return li.contains(active) && active.matches("textarea, input:not([type=hidden])");
}

// When an idea's supports (or replies) change, it moves to where the chosen order
// puts it, among the ideas shown: the list keeps its length, so "show more" still
// shows the rest. An idea someone is writing a reply in waits until they leave it.
// Screen readers are not told: the count they hear already changed, and a move
// announced at every support would drown the new ideas.
function placeThread(li) {
  const list = li?.parentElement;
  const sort = list?.dataset.sort;
  if (sort !== "supported" && sort !== "replied") return;
  if (isWritingIn(li)) {
    li.dataset.movePending = "1";
    return;
  }
  delete li.dataset.movePending;
  // Past the last shown idea, in a list with more to show, the right place is
  // among the hidden ones; it stays the last shown rather than vanish.
  const before = [...list.children].find((other) => other !== li && goesBefore(li, other, sort)) ?? null;
  if (before === li.nextElementSibling) return;
  moveKeepingView(li, () => list.insertBefore(li, before));
}

// Moves the idea without taking the reader's place: what has focus keeps it, and
// what they look at stays where it is on the screen.
function moveKeepingView(li, move) {
  const active = li.contains(document.activeElement) ? document.activeElement : null;
  const anchor = active || visibleIdea(li);
  const top = anchor?.getBoundingClientRect().top;
  move();
  if (active && document.activeElement !== active) active.focus({ preventScroll: true });
  if (anchor) window.scrollBy(0, anchor.getBoundingClientRect().top - top);
}

function visibleIdea(except) {
  for (const li of root.querySelectorAll("ol.threads > li.thread")) {
    if (li === except) continue;
    const box = li.getBoundingClientRect();
    if (box.bottom > 0 && box.top < window.innerHeight) return li;
  }
  return null;
}

// The node to insert a new idea before (null: at the end), or undefined: not shown.
function placeFor(list) {
  const sort = list.dataset.sort || "newest";
  if (sort === "newest") return list.firstElementChild;
  for (const li of list.children) {
    if (threadScore(li, sort) === 0) return li;
  }
  return list.dataset.complete === "true" ? null : undefined;
}

function showPost(post) {
  const existing = document.getElementById(`post-${post.id}`);
  if (existing) {
    fillPost(existing, post);
    return;
  }
  if (post.parent_id) {
    const thread = document.getElementById(`thread-${post.parent_id}`);
    if (!thread) return;
    const li = document.getElementById("tpl-reply").content.firstElementChild.cloneNode(true);
    fillPost(li.querySelector("article"), post);
    thread.querySelector(".replies").append(li);
    placeThread(thread);
    return;
  }
  const list = root.querySelector(`.threads[data-question="${post.question_id}"]`);
  if (!list) return;
  // Where the chosen order puts a new idea (see deliberation/listing.py): it has no
  // supports or replies yet, so it goes before the first idea without any; when
  // that is past the ideas shown ("show more"), it is not shown yet.
  const place = placeFor(list);
  list.closest(".question").querySelector(".empty-note").hidden = true;
  if (place === undefined) return;
  const li = document.getElementById("tpl-thread").content.firstElementChild.cloneNode(true);
  li.id = `thread-${post.id}`;
  fillPost(li.querySelector("article"), post);
  const replyForm = li.querySelector(".reply-form");
  if (replyForm) {
    replyForm.dataset.question = post.question_id;
    replyForm.dataset.parent = post.id;
    replyForm.querySelector('[name="question_id"]').value = post.question_id;
    replyForm.querySelector('[name="parent_id"]').value = post.id;
    const area = replyForm.querySelector("textarea");
    area.id = `reply-${post.id}`;
    replyForm.querySelector("label").htmlFor = area.id;
  }
  list.insertBefore(li, place);
}

function request(payload) {
  return new Promise((resolve, reject) => {
    if (!live.open) {
      reject(new Error("offline"));
      return;
    }
    requestCounter += 1;
    const id = `r${requestCounter}`;
    pending.set(id, { resolve, reject });
    live.send({ ...payload, request_id: id });
  });
}

// No lost text: what a person types is kept on this device (local storage) until
// the server has acknowledged it; offline, sending waits for the connection.
const offlineNote = document.getElementById("offline-note");

function draftKey(question, parent) {
  return `raati:draft:${slug}:${question || ""}:${parent || ""}`;
}

function formKey(form) {
  return draftKey(form.dataset.question, form.dataset.parent);
}

function storage(action) {
  try {
    return action(window.localStorage);
  } catch {
    return null; // storage disabled: the page still works, only without drafts
  }
}

function saveDraft(form) {
  const text = form.querySelector("textarea").value;
  storage((s) => (text.trim() ? s.setItem(formKey(form), text) : s.removeItem(formKey(form))));
}

function restoreDrafts() {
  // A post the server confirmed on this page load (sent without the live connection).
  root.querySelectorAll("[data-draft-done]").forEach((el) => {
    const [question, parent] = el.dataset.draftDone.split(":");
    storage((s) => s.removeItem(draftKey(question, parent)));
  });
  root.querySelectorAll(".post-form").forEach((form) => {
    const area = form.querySelector("textarea");
    const saved = storage((s) => s.getItem(formKey(form)));
    if (saved && !area.value.trim()) {
      area.value = saved;
      form.querySelector(".form-status").textContent = i18n.restored;
      const details = form.closest("details");
      if (details) details.open = true;
    }
  });
}

function showOffline(offline) {
  offlineNote.hidden = !offline;
  offlineNote.textContent = offline ? i18n.offline : "";
}

function sendQueued() {
  if (!navigator.onLine) return;
  root.querySelectorAll(".post-form[data-queued]").forEach((form) => {
    delete form.dataset.queued;
    form.requestSubmit();
  });
}

// A move that waited for someone writing in the idea happens when they leave it.
root.addEventListener("focusout", (e) => {
  const li = e.target.closest(".thread[data-move-pending]");
  // Once focus has settled: the idea may not move while it still holds it.
  if (li && !li.contains(e.relatedTarget)) setTimeout(() => placeThread(li));
});

root.addEventListener("input", (e) => {
  const form = e.target.closest(".post-form");
  if (form) saveDraft(form);
});
window.addEventListener("offline", () => showOffline(true));
window.addEventListener("online", () => {
  showOffline(false);
  // Sent over the live connection when it is back, else as a plain form.
  setTimeout(sendQueued, live.open ? 0 : 3000);
});

root.addEventListener("submit", async (e) => {
  const form = e.target;
  // "Take part" is a plain form post (the widget has added its proof); what was
  // typed in the boxes is in local storage and comes back after the reload.
  if (form.closest("#take-part")) return;
  if (!navigator.onLine && form.classList.contains("post-form")) {
    e.preventDefault(); // a plain post now would end on the browser's error page
    saveDraft(form);
    form.dataset.queued = "1";
    form.querySelector(".form-status").textContent = i18n.queued;
    showOffline(true);
    return;
  }
  if (!live.open) {
    if (form.classList.contains("post-form")) saveDraft(form); // kept if the post fails
    return; // plain form post
  }
  if (form.classList.contains("post-form")) {
    e.preventDefault();
    const area = form.querySelector("textarea");
    const status = form.querySelector(".form-status");
    const button = form.querySelector("button");
    status.textContent = i18n.sending;
    button.disabled = true;
    try {
      const reply = await request({
        type: "post",
        question_id: Number(form.dataset.question),
        parent_id: form.dataset.parent ? Number(form.dataset.parent) : null,
        body: area.value,
      });
      if (reply.type === "error") {
        status.textContent = reply.message;
        area.focus();
      } else {
        area.value = "";
        storage((st) => st.removeItem(formKey(form)));
        status.textContent = reply.status === "held" ? i18n.held : i18n.published;
        showPost({ ...reply.post, own: true });
      }
    } catch {
      status.textContent = i18n.network_error;
    } finally {
      button.disabled = false;
    }
  } else if (form.classList.contains("support-form")) {
    e.preventDefault();
    const article = form.closest("article");
    const button = form.querySelector("button");
    try {
      const reply = await request({ type: "support", post_id: Number(article.dataset.postId) });
      if (reply.type === "ack") {
        button.setAttribute("aria-pressed", reply.supported ? "true" : "false");
        form.querySelector(".support-count").textContent = supportText(reply.support_count);
        placeThread(article.closest(".thread"));
      } else {
        announce(reply.message);
      }
    } catch {
      announce(i18n.network_error);
    }
  }
});

restoreDrafts();
if (!navigator.onLine) showOffline(true);
live.start();
