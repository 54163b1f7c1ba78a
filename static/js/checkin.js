// The check-in scan page: a code typed by a USB scanner or read by the camera (jsQR), or a
// delegate found by hand, is sent to the server, which answers green or red with the reason.
// Scans made while offline wait in localStorage, each with its nonce, and are sent when the
// network returns; the server treats a nonce it has seen as the same scan, never a second entry.
(() => {
  "use strict";
  const root = document.getElementById("scanner");
  if (!root) return;
  const text = root.dataset;
  const queueKey = `checkin-queue-${text.entrance}`;
  const csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  const $ = (id) => document.getElementById(id);

  function randomHex(bytes) {
    const values = new Uint8Array(bytes);
    crypto.getRandomValues(values);
    return Array.from(values, (v) => v.toString(16).padStart(2, "0")).join("");
  }

  // A name for this phone, kept across visits: the answer "already admitted" names it.
  let device = localStorage.getItem("checkin-device");
  if (!device) {
    device = `device-${randomHex(3)}`;
    localStorage.setItem("checkin-device", device);
  }

  const readQueue = () => {
    try {
      return JSON.parse(localStorage.getItem(queueKey) || "[]");
    } catch {
      return [];
    }
  };
  const writeQueue = (queue) => {
    localStorage.setItem(queueKey, JSON.stringify(queue));
    $("queue-count").textContent = String(queue.length);
  };

  function show(answer, state, log = true) {
    const box = $("answer");
    box.classList.remove("admitted", "refused", "queued");
    box.classList.add(state);
    $("answer-title").textContent = answer.title || "";
    $("answer-name").textContent = answer.name || "";
    $("answer-detail").textContent = [answer.institution, answer.position, answer.category]
      .filter(Boolean)
      .join(" · ");
    $("answer-message").textContent = answer.message || "";
    if (!log) return;
    const item = document.createElement("li");
    item.textContent = `${new Date().toLocaleTimeString()} ${answer.title}${answer.name ? ` – ${answer.name}` : ""}`;
    item.className = state === "admitted" ? "text-success" : state === "refused" ? "text-danger" : "";
    $("log").prepend(item);
    while ($("log").children.length > 20) $("log").lastChild.remove();
  }

  async function send(item) {
    const response = await fetch(text.scanUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(item),
      credentials: "same-origin",
    });
    if (response.status >= 500) throw new Error(`server ${response.status}`);
    return { ok: response.ok, answer: await response.json() };
  }

  // Offline, a code's signature is checked here with the edition's public key (Ed25519 in
  // WebCrypto), as the server would: the same layout as checkin/signing.py.
  const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  function base32(body) {
    const out = [];
    let bits = 0;
    let value = 0;
    for (const char of body) {
      const index = ALPHABET.indexOf(char);
      if (index < 0) throw new Error("not base32");
      value = (value << 5) | index;
      bits += 5;
      if (bits >= 8) {
        out.push((value >>> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return new Uint8Array(out);
  }
  let publicKey = null;
  if (text.publicKey && crypto.subtle) {
    const raw = Uint8Array.from(atob(text.publicKey), (c) => c.charCodeAt(0));
    crypto.subtle
      .importKey("raw", raw, { name: "Ed25519" }, false, ["verify"])
      .then((key) => { publicKey = key; })
      .catch(() => { publicKey = null; }); // a browser without Ed25519: queue unchecked
  }
  const seenKey = `checkin-seen-${text.entrance}`;
  async function checkOffline(code) {
    if (!publicKey) return null;
    const clean = code.replace(/\s+/g, "").toUpperCase();
    if (!clean.startsWith("VC1:")) return { ok: false, title: text.textUnknown };
    let bytes;
    try {
      bytes = base32(clean.slice(4));
    } catch {
      return { ok: false, title: text.textUnknown };
    }
    if (bytes.length !== 87 || bytes[0] !== 1) return { ok: false, title: text.textUnknown };
    const view = new DataView(bytes.buffer);
    if (view.getUint32(1) !== Number(text.event)) return { ok: false, title: text.textUnknown };
    const genuine = await crypto.subtle.verify(
      { name: "Ed25519" }, publicKey, bytes.slice(23), bytes.slice(0, 23),
    );
    if (!genuine) return { ok: false, title: text.textForged };
    const until = view.getUint32(19);
    if (until && Date.now() / 1000 >= until) return { ok: false, title: text.textExpired };
    const serial = Array.from(bytes.slice(5, 15), (v) => v.toString(16).padStart(2, "0")).join("");
    const seen = JSON.parse(localStorage.getItem(seenKey) || "[]");
    if (seen.includes(serial)) return { ok: false, title: text.textSeenOffline };
    seen.push(serial);
    localStorage.setItem(seenKey, JSON.stringify(seen.slice(-5000)));
    return { ok: true };
  }

  async function queueUp(item) {
    const queue = readQueue();
    queue.push(item);
    writeQueue(queue);
    const local = item.code ? await checkOffline(item.code) : null;
    if (local && !local.ok) {
      show({ title: local.title, message: text.textCheckedOffline }, "refused");
    } else if (local) {
      show({ title: text.textValidOffline }, "queued");
    } else {
      show({ title: text.textQueued, name: item.label || "" }, "queued");
    }
  }

  async function process(fields) {
    const item = {
      ...fields,
      nonce: randomHex(16),
      device,
      scanned_at: new Date().toISOString(),
    };
    if (!navigator.onLine) {
      await queueUp(item);
      return;
    }
    show({ title: text.textSending }, "queued", false);
    try {
      const { ok, answer } = await send(item);
      if (!ok) {
        show({ title: answer.error || "?" }, "refused");
        return;
      }
      show(answer, answer.admitted ? "admitted" : "refused");
    } catch {
      await queueUp(item);
    }
  }

  let flushing = false;
  async function flush() {
    if (flushing || !navigator.onLine) return;
    flushing = true;
    try {
      let queue = readQueue();
      while (queue.length) {
        const item = queue[0];
        let result;
        try {
          result = await send(item);
        } catch {
          break; // still unreachable: keep the queue for the next attempt
        }
        if (result.ok) show(result.answer, result.answer.admitted ? "admitted" : "refused");
        queue = readQueue().filter((queued) => queued.nonce !== item.nonce);
        writeQueue(queue);
      }
    } finally {
      flushing = false;
    }
  }

  function network() {
    const badge = $("network");
    badge.textContent = navigator.onLine ? text.textOnline : text.textOffline;
    badge.className = `badge ${navigator.onLine ? "text-bg-success" : "text-bg-warning"}`;
    if (navigator.onLine) flush();
  }
  window.addEventListener("online", network);
  window.addEventListener("offline", network);
  setInterval(flush, 10000);
  writeQueue(readQueue());
  network();

  // A USB scanner types the code and Enter into the focused field.
  $("code-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const code = $("code").value.trim();
    $("code").value = "";
    $("code").focus();
    if (code) process({ code });
  });

  // Manual search for walk-ins and lost badges.
  $("search-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = $("search").value.trim();
    const results = $("results");
    results.replaceChildren();
    if (!query) return;
    let data;
    try {
      const response = await fetch(`${text.searchUrl}?q=${encodeURIComponent(query)}`, {
        credentials: "same-origin",
      });
      data = await response.json();
    } catch {
      show({ title: text.textError }, "refused");
      return;
    }
    if (!data.results.length) {
      const empty = document.createElement("li");
      empty.className = "list-group-item";
      empty.textContent = text.textNone;
      results.append(empty);
    }
    for (const person of data.results) {
      const row = document.createElement("li");
      row.className = "list-group-item d-flex justify-content-between align-items-center gap-2";
      const who = document.createElement("div");
      const name = document.createElement("strong");
      name.textContent = person.name;
      const detail = document.createElement("div");
      detail.className = "small text-body-secondary";
      detail.textContent = [person.institution, person.position, person.category, person.status,
        person.mobile_end && `…${person.mobile_end}`].filter(Boolean).join(" · ");
      who.append(name, detail);
      const admit = document.createElement("button");
      admit.type = "button";
      admit.className = "btn btn-sm btn-success";
      admit.textContent = text.textAdmit;
      admit.addEventListener("click", () => {
        results.replaceChildren();
        $("search").value = "";
        process({ delegate: person.id, label: person.name });
      });
      row.append(who, admit);
      results.append(row);
    }
  });

  // The camera: jsQR reads each frame; the same code is not sent twice within three seconds.
  let stream = null;
  let lastCode = "";
  let lastAt = 0;
  function tick() {
    if (!stream) return;
    const video = $("camera");
    if (video.readyState === video.HAVE_ENOUGH_DATA && window.jsQR) {
      const canvas = $("frame");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const found = window.jsQR(image.data, image.width, image.height, {
        inversionAttempts: "dontInvert",
      });
      const now = Date.now();
      if (found && found.data && (found.data !== lastCode || now - lastAt > 3000)) {
        lastCode = found.data;
        lastAt = now;
        process({ code: found.data });
      }
    }
    requestAnimationFrame(tick);
  }
  $("camera-toggle").addEventListener("click", async () => {
    const video = $("camera");
    if (stream) {
      stream.getTracks().forEach((track) => track.stop());
      stream = null;
      video.classList.add("d-none");
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment" },
        audio: false,
      });
    } catch {
      show({ title: text.textNoCamera }, "refused");
      return;
    }
    video.srcObject = stream;
    video.classList.remove("d-none");
    await video.play();
    requestAnimationFrame(tick);
  });
})();
