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

const timeFormat = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : lang, {
  dateStyle: "short", timeStyle: "short", timeZone: "Europe/Helsinki",
});

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
    if (post) post.querySelector(".support-count").textContent = supportText(data.support_count);
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
      else post.closest("li")?.remove();
    }
  } else if (kind === "session_updated") {
    document.getElementById("session-title").textContent = data.title;
    if (data.state !== "open") {
      root.querySelectorAll(".post-form, details.reply").forEach((el) => el.remove());
      root.querySelectorAll(".support-button").forEach((b) => { b.disabled = true; });
    }
  }
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
    return;
  }
  const list = root.querySelector(`.threads[data-question="${post.question_id}"]`);
  if (!list) return;
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
  list.prepend(li);
  list.closest(".question").querySelector(".empty-note").hidden = true;
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

// "Take part" reloads the page: what was already typed in its boxes comes back.
const DRAFTS_KEY = `raati-drafts-${slug}`;
function keepDrafts() {
  const drafts = {};
  root.querySelectorAll("textarea[id]").forEach((area) => {
    if (area.value.trim()) drafts[area.id] = area.value;
  });
  sessionStorage.setItem(DRAFTS_KEY, JSON.stringify(drafts));
}
function restoreDrafts() {
  const saved = sessionStorage.getItem(DRAFTS_KEY);
  if (saved === null) return;
  sessionStorage.removeItem(DRAFTS_KEY);
  for (const [id, text] of Object.entries(JSON.parse(saved))) {
    const area = document.getElementById(id);
    if (area && !area.value) area.value = text;
  }
}
restoreDrafts();

root.addEventListener("submit", async (e) => {
  const form = e.target;
  if (form.closest("#take-part")) {
    keepDrafts();
    return; // a plain form post: the widget has added its proof
  }
  if (!live.open) return; // plain form post
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
      } else {
        announce(reply.message);
      }
    } catch {
      announce(i18n.network_error);
    }
  }
});

live.start();
