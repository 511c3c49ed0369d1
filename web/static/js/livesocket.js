// One live websocket that stays connected, for every live page.
//
// - Reconnects after a drop with exponential backoff and jitter (0.5 s doubling
//   up to 30 s), so a restarting server is not hit by every page at once.
// - Close code 4001 ("you fell behind") reconnects at once.
// - Codes in `stopOn` end it for good and call their handler (4404: no such
//   session; 4401: not allowed, e.g. logged out).
// - With `resume`, it keeps the last event sequence number seen (`seq` of
//   `{"type":"event"}` messages), drops repeats, and reconnects with it, so the
//   server sends exactly the missed events: nothing lost, nothing twice.
//
//   const live = new LiveSocket({
//     url: (lastSeq) => `/s/${slug}/live?after=${lastSeq}`,
//     resume: true, lastSeq: Number(root.dataset.seq) || 0,
//     onMessage: (msg) => ..., onStatus: (state) => ..., // "connecting" | "reconnecting" | "live"
//     onReady: ({ reconnected }) => ..., onClose: () => ..., stopOn: { 4404: () => {} },
//   });
//   live.start(); live.send({ type: "ping" });

export const RESUME = 4001;
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 30000;

export class LiveSocket {
  constructor({ url, onMessage, onStatus = () => {}, onReady = () => {}, onClose = () => {},
                stopOn = {}, resume = false, lastSeq = 0 }) {
    this.url = url;
    this.onMessage = onMessage;
    this.onStatus = onStatus;
    this.onReady = onReady;
    this.onClose = onClose;
    this.stopOn = stopOn;
    this.resume = resume;
    this.lastSeq = lastSeq;
    this.attempt = 0;
    this.socket = null;
  }

  get open() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  start() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}${this.url(this.lastSeq)}`);
    this.socket = socket;
    if (this.attempt === 0) this.onStatus("connecting");
    socket.addEventListener("message", (e) => this.receive(JSON.parse(e.data)));
    socket.addEventListener("close", (e) => this.closed(e.code));
  }

  send(message) {
    if (!this.open) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  receive(msg) {
    if (this.resume && msg.type === "event") {
      if (msg.seq <= this.lastSeq) return; // already seen (a resume overlaps)
      this.lastSeq = msg.seq;
    }
    if (msg.type === "ready") {
      const reconnected = this.attempt > 0;
      this.attempt = 0;
      this.onStatus("live");
      this.onReady({ reconnected });
    }
    this.onMessage(msg);
  }

  closed(code) {
    this.socket = null;
    this.onClose(code);
    if (code in this.stopOn) {
      this.stopOn[code]();
      return;
    }
    this.onStatus("reconnecting");
    const delay = code === RESUME ? 0
      : Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** this.attempt) * (0.5 + Math.random());
    this.attempt += 1;
    setTimeout(() => this.start(), delay);
  }
}
