// The proof-of-work widget's solver runs in our own worker file: the page's
// Content-Security-Policy allows scripts and workers from this site only.
globalThis.$altcha?.algorithms.set(
  "PBKDF2/SHA-256", () => new Worker("/static/vendor/altcha/pbkdf2.js"));
