// The door's check-in page: scan the QR code in an attendee's email with the camera.
// Where the browser has BarcodeDetector and a camera, a "Scan a QR code" button appears;
// the code read is posted to the check-in address (the same one the typed-code form
// uses) and the answer is announced in the page's live region. Without either, the page
// works as it is: type or paste the code, or search by name.
(() => {
  "use strict";

  const root = document.querySelector("[data-checkin]");
  if (!root) return;
  const support = root.querySelector("[data-scan-support]");
  const start = root.querySelector("[data-scan-start]");
  const stop = root.querySelector("[data-scan-stop]");
  const video = root.querySelector("[data-scan-video]");
  const status = document.getElementById("checkin-status");
  const form = root.querySelector("[data-code-form]");
  const endpoint = root.dataset.endpoint;
  if (!support || !start || !video || !status || !form || !endpoint) return;

  let stream = null;
  let timer = null;
  let busy = false;
  let lastCode = "";
  let lastAt = 0;

  const say = (message, ok) => {
    status.replaceChildren();
    const line = document.createElement("p");
    line.className = "checkin-status__message checkin-status__message--" + (ok ? "success" : "error");
    line.textContent = message;
    status.append(line);
  };

  const stopCamera = () => {
    if (timer) window.clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.srcObject = null;
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  };

  const post = async (code) => {
    const csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
    const body = new URLSearchParams({ token: code, action: "check-in" });
    const response = await fetch(endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRFToken": csrf ? csrf.value : "",
      },
      body,
    });
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (!data || typeof data.message !== "string") {
      say(start.dataset.failed || "The code could not be checked. Type it, or search by name.", false);
      return;
    }
    say(data.message, Boolean(data.ok));
    const tally = root.querySelector(".checkin__tally");
    if (tally && typeof data.tally === "string") tally.textContent = data.tally;
  };

  const scan = async (detector) => {
    if (!stream) return;
    try {
      if (!busy && video.readyState >= 2) {
        const codes = await detector.detect(video);
        const code = codes.length ? codes[0].rawValue : "";
        const now = Date.now();
        // The same code held in front of the camera is posted once every few seconds.
        if (code && (code !== lastCode || now - lastAt > 4000)) {
          lastCode = code;
          lastAt = now;
          busy = true;
          try {
            await post(code);
          } finally {
            busy = false;
          }
        }
      }
    } catch (error) {
      // A frame that could not be read: try the next one.
    }
    timer = window.setTimeout(() => scan(detector), 300);
  };

  const begin = async () => {
    let detector;
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: "environment" } },
        audio: false,
      });
    } catch (error) {
      stopCamera();
      say(start.dataset.denied || "The camera could not be used. Type the code, or search by name.", false);
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    start.hidden = true;
    stop.hidden = false;
    stop.focus();
    try {
      await video.play();
    } catch (error) {
      // Muted inline video plays without a gesture in every browser that scans.
    }
    scan(detector);
  };

  const canScan = async () => {
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return false;
    }
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      return formats.includes("qr_code");
    } catch (error) {
      return false;
    }
  };

  canScan().then((yes) => {
    if (!yes) return;
    support.hidden = false;
    start.addEventListener("click", begin);
    stop.addEventListener("click", () => {
      stopCamera();
      start.focus();
    });
    window.addEventListener("pagehide", stopCamera);
  });
})();
