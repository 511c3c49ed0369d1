// Live updates for a digiraati: phases opening and closing on every page, and
// the expert hearing (questions re-ordered by support, answers appearing under
// their question). The pages work without this script: forms post and reload.
// With it, the hearing's forms are sent with fetch and nothing reloads.
import { LiveSocket } from "./livesocket.js";

const hearing = document.getElementById("hearing");
const statement = document.getElementById("statement");
const root = hearing || statement || document.getElementById("session");
const i18n = JSON.parse(document.getElementById("raati-i18n").textContent);
const announcer = document.getElementById("announcer");
const statusEl = document.getElementById("live-status");
const slug = root.dataset.slug;

function fill(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, key) => String(values[key] ?? ""));
}

function supportText(n) {
  return fill(n === 1 ? i18n.support_one : i18n.support_many, { num: n });
}

function announce(text) {
  const p = document.createElement("p");
  p.textContent = text;
  announcer.append(p);
  while (announcer.childElementCount > 5) announcer.firstElementChild.remove();
}

function setPhase(name, state) {
  for (const li of document.querySelectorAll(`.phase[data-phase="${name}"]`)) {
    li.className = `phase phase-${state}`;
    if (state === "open") li.setAttribute("aria-current", "step");
    else li.removeAttribute("aria-current");
    li.querySelector(".phase-state").textContent = i18n[`state_${state}`];
  }
  announce(fill(state === "open" ? i18n.phase_open : i18n.phase_closed, { phase: i18n.phases[name] }));
  if (hearing && name === "hearing") {
    hearing.dataset.state = state;
    if (state !== "open") {
      hearing.querySelectorAll(".ask-form, .answer-form").forEach((f) => f.remove());
      hearing.querySelectorAll(".hq-support button").forEach((b) => { b.disabled = true; });
    }
  }
}

// --- the hearing ------------------------------------------------------------------

const list = document.getElementById("questions");

function reorder() {
  // Most supported first, then oldest first: the same order as the server's.
  const items = [...list.children];
  items.sort((a, b) => (Number(b.dataset.support) - Number(a.dataset.support))
    || (Number(a.dataset.postId) - Number(b.dataset.postId)));
  items.forEach((li, i) => { if (list.children[i] !== li) list.insertBefore(li, list.children[i]); });
}

function setSupport(li, count) {
  const before = [...list.children].indexOf(li);
  li.dataset.support = count;
  li.querySelector(".support-count").textContent = supportText(count);
  reorder();
  if ([...list.children].indexOf(li) < before) announce(fill(count === 1 ? i18n.moved_up_one : i18n.moved_up_many, { num: count }));
}

function addQuestion(post) {
  let li = document.getElementById(`post-${post.id}`);
  if (!li) {
    li = document.getElementById("tpl-question").content.firstElementChild.cloneNode(true);
    li.id = `post-${post.id}`;
    li.dataset.postId = post.id;
    li.querySelector(".hq-support").action = `/d/${slug}/hearing/questions/${post.id}/support`;
    const answer = li.querySelector(".answer-form");
    if (answer) {
      answer.action = `/d/${slug}/hearing/questions/${post.id}/answers`;
      const area = answer.querySelector("textarea");
      area.id = `answer-${post.id}`;
      answer.querySelector("label").htmlFor = area.id;
    }
    list.append(li);
    if (post.status === "published") announce(fill(i18n.new_question, { author: post.author }));
  }
  li.querySelector(".author").textContent = post.author;
  li.querySelector(".post-body").innerHTML = post.body_html; // sanitised on the server
  const held = post.status === "held";
  li.classList.toggle("post-held", held);
  li.querySelector(".held-note").hidden = !held;
  if (post.own !== undefined) li.querySelector(".own-tag").hidden = !post.own;
  const button = li.querySelector(".hq-support button");
  button.disabled = held || !li.querySelector(".own-tag").hidden || hearing.dataset.state !== "open"
    || !hearing.querySelector(".ask-form");
  document.querySelector(".empty-note").hidden = true;
  setSupport(li, post.support_count);
}

function addAnswer(answer) {
  const li = document.getElementById(`post-${answer.post_id}`);
  if (!li || li.querySelector(`[data-answer-id="${answer.id}"]`)) return;
  const item = document.createElement("li");
  item.className = "answer";
  item.dataset.answerId = answer.id;
  const meta = document.createElement("p");
  meta.className = "post-meta";
  const who = document.createElement("strong");
  who.textContent = answer.expert;
  meta.append(who);
  const body = document.createElement("div");
  body.className = "post-body";
  body.innerHTML = answer.body_html; // sanitised on the server
  item.append(meta, body);
  li.querySelector(".answers").append(item);
  announce(fill(i18n.new_answer, { expert: answer.expert }));
}

function onHearingEvent(kind, data) {
  if (kind === "post_published" || kind === "post_pending") {
    // Only the hearing's own questions (its thread), not replies or other threads.
    if (data.post.parent_id !== null || String(data.post.question_id) !== list.dataset.thread) return;
    addQuestion(data.post);
  } else if (kind === "post_support") {
    const li = document.getElementById(`post-${data.post_id}`);
    if (li && li.parentElement === list) setSupport(li, data.support_count);
  } else if (kind === "hearing_answer") {
    addAnswer(data.answer);
  } else if (kind === "hearing_answered") {
    const li = document.getElementById(`post-${data.post_id}`);
    if (li) li.querySelector(".answered-tag").hidden = !data.answered;
  } else if (kind === "hearing_merged") {
    document.getElementById(`post-${data.post_id}`)?.remove();
    const into = document.getElementById(`post-${data.into}`);
    if (into) setSupport(into, data.support_count);
  } else if (kind === "post_hidden") {
    const li = document.getElementById(`post-${data.post_id}`);
    if (li && li.parentElement === list) li.remove();
  }
}

async function send(form) {
  const status = form.querySelector(".form-status");
  const button = form.querySelector("button");
  if (status) status.textContent = i18n.sending;
  button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST", body: new FormData(form),
      headers: { Accept: "application/json" }, credentials: "same-origin",
    });
    const reply = await response.json();
    if (!response.ok) {
      if (status) status.textContent = reply.error.message;
      else announce(reply.error.message);
      return null;
    }
    if (status) status.textContent = reply.message || "";
    return reply;
  } catch {
    if (status) status.textContent = i18n.network_error;
    else announce(i18n.network_error);
    return null;
  } finally {
    button.disabled = false;
  }
}

if (hearing) {
  hearing.addEventListener("submit", async (e) => {
    const form = e.target;
    if (form.classList.contains("ask-form")) {
      e.preventDefault();
      const reply = await send(form);
      if (reply) {
        form.querySelector("textarea").value = "";
        addQuestion({ ...reply.post, own: true });
      }
    } else if (form.classList.contains("hq-support")) {
      e.preventDefault();
      const reply = await send(form);
      if (reply) {
        form.querySelector("button").setAttribute("aria-pressed", reply.supported ? "true" : "false");
        setSupport(form.closest("li"), reply.support_count);
      }
    } else if (form.classList.contains("answer-form")) {
      e.preventDefault();
      if (await send(form)) form.querySelector("textarea").value = "";
    }
  });
}

// --- the main page and the statement --------------------------------------------------

function onPageEvent(kind, data) {
  const names = document.getElementById("panel-names");
  if (kind === "panellist_joined" && names) {
    const li = document.createElement("li");
    li.textContent = data.name;
    names.append(li);
  } else if (kind === "panellist_renamed" && names) {
    for (const li of names.children) if (li.textContent === data.old) li.textContent = data.name;
  }
}

// What this script cannot insert (a new section, a response, publication) is
// said with a notice: forms on this page may hold typed text, so no reload.
const STATEMENT_CHANGES = new Set(["section_added", "section_response", "statement_published"]);
const AMENDMENT_EVENTS = new Set(["amendment_proposed", "amendment_pending", "amendment_rejected",
  "amendment_decided", "amendment_comment", "amendment_comment_pending",
  "amendment_comment_rejected"]);

function changedNotice() {
  statusEl.hidden = false;
  statusEl.replaceChildren(document.createTextNode(`${i18n.statement_changed} `));
  const link = document.createElement("a");
  link.href = location.pathname;
  link.textContent = i18n.reload;
  statusEl.append(link);
}

// One amendment as the server renders it for this viewer (its forms, comments,
// and, for its author, whether it waits for a moderator): never built here.
async function fetchAmendment(id) {
  try {
    const response = await fetch(`/d/${encodeURIComponent(slug)}/statement/amendments/${id}`, {
      headers: { Accept: "text/html" }, credentials: "same-origin",
    });
    if (!response.ok) return null;
    const tpl = document.createElement("template");
    tpl.innerHTML = await response.text(); // server-rendered; user text escaped there
    return tpl.content.querySelector("li.amendment");
  } catch {
    return null;
  }
}

function busy(el) {
  // Someone is writing here: keep the text and the focus as they are.
  return el.contains(document.activeElement)
    || [...el.querySelectorAll("textarea")].some((t) => t.value !== t.defaultValue);
}

function merge(old, fresh) {
  old.className = fresh.className;
  old.dataset.moderation = fresh.dataset.moderation;
  old.dataset.status = fresh.dataset.status;
  old.querySelector(".amendment-head").replaceWith(fresh.querySelector(".amendment-head"));
  const comments = old.querySelector(".comments");
  const added = [];
  for (const c of [...fresh.querySelectorAll(".comment")]) {
    const mine = document.getElementById(c.id);
    if (mine) mine.replaceWith(c);
    else { comments.append(c); added.push(c); }
  }
  const actions = old.querySelector(".amendment-actions");
  const freshActions = fresh.querySelector(".amendment-actions");
  if (actions && busy(actions)) return added;
  actions?.remove();
  if (freshActions) old.append(freshActions);
  return added;
}

function sectionTitle(sectionId) {
  const h = document.getElementById(`section-${sectionId}-heading`);
  return h ? h.textContent.replace(/^\d+\.\s*/, "") : "";
}

// Events are handled one at a time, so one amendment is never inserted twice.
let amendmentWork = Promise.resolve();

async function showAmendment(kind, data) {
  const id = data.amendment?.id ?? data.amendment_id;
  const old = document.getElementById(`amendment-${id}`);
  const wasHeld = old?.dataset.moderation === "held";
  const fresh = await fetchAmendment(id);
  if (!fresh) return;
  const sectionId = fresh.dataset.sectionId;
  const title = sectionTitle(sectionId);
  const msg = statement.dataset;
  if (!old) {
    const list = document.getElementById(`amendments-${sectionId}`);
    if (!list) return;
    const after = [...list.children].find((li) => Number(li.id.split("-")[1]) > Number(id));
    list.insertBefore(fresh, after ?? null);
    list.hidden = false;
    document.getElementById(`amendments-${sectionId}-heading`).hidden = false;
    if (fresh.dataset.moderation === "published") {
      announce(fill(msg.newAmendment, { title, author: fresh.querySelector(".author").textContent }));
    }
    return;
  }
  const added = merge(old, fresh);
  if (kind === "amendment_proposed" && wasHeld) announce(msg.amendmentPublished);
  else if (kind === "amendment_rejected") announce(msg.amendmentRejected);
  else if (kind === "amendment_decided") {
    announce(fill(data.status === "accepted" ? msg.amendmentAccepted : msg.amendmentDeclined, { title }));
  } else if (kind === "amendment_comment") {
    for (const c of added) announce(fill(msg.newComment, { author: c.querySelector("strong").textContent.replace(/:$/, "") }));
  }
}

function onStatementEvent(kind, data) {
  if (kind === "section_saved") {
    const text = document.querySelector(`#section-${data.section.id} .section-text`);
    if (text) {
      text.innerHTML = `<p>${data.section.text_html}</p>`; // sanitised on the server
      announce(fill(i18n.section_saved, { title: data.section.title }));
    }
  } else if (kind === "amendment_support") {
    const count = document.querySelector(`#amendment-${data.amendment_id} .support-count`);
    if (count) count.textContent = supportText(data.support_count);
  } else if (AMENDMENT_EVENTS.has(kind)) {
    amendmentWork = amendmentWork.then(() => showAmendment(kind, data));
  } else if (STATEMENT_CHANGES.has(kind)) {
    changedNotice();
  }
}

if (statement) {
  // Votes and supports are sent without leaving the page (the forms work without this too).
  statement.addEventListener("submit", async (e) => {
    const form = e.target;
    if (!form.classList.contains("vote-form") && !form.classList.contains("amend-support")) return;
    e.preventDefault();
    const reply = await send(form);
    if (reply && form.classList.contains("amend-support")) {
      form.closest(".amendment").querySelector(".support-count").textContent = supportText(reply.support_count);
    }
  });
}

const live = new LiveSocket({
  url: (lastSeq) => `/s/${encodeURIComponent(slug)}/live?after=${lastSeq}`,
  resume: true,
  lastSeq: Number(root.dataset.seq) || 0,
  onMessage: (msg) => {
    if (msg.type !== "event") return;
    if (msg.kind === "phase_open" || msg.kind === "phase_closed") setPhase(msg.data.phase, msg.data.state);
    else if (hearing) onHearingEvent(msg.kind, msg.data);
    else if (statement) onStatementEvent(msg.kind, msg.data);
    else onPageEvent(msg.kind, msg.data);
  },
  onStatus: (state) => {
    if (!hearing) return; // the main page's live.js shows it; the statement uses it for changes
    statusEl.hidden = false;
    statusEl.textContent = i18n[state] || "";
  },
  stopOn: { 4404: () => {} },
});
live.start();
