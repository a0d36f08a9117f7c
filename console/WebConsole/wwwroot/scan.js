// The phone view's check-in scan: the rear camera in a <video>, read by the browser's own BarcodeDetector where it
// has one; elsewhere (desktop Chromium on Linux, older phones) a small greyscale frame goes to the server to decode.
let current = null;

/** Frames are scaled to at most this width before they are sent (one byte a pixel keeps them small). */
const MaxWidth = 320;
const Interval = 300;

export async function start(video, dotnet) {
  stop();
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: 'environment' }, width: { ideal: 640 }, height: { ideal: 480 } },
    });
  } catch {
    return false;
  }
  const scan = { stream, video, dotnet, stopped: false, timer: 0, canvas: document.createElement('canvas'), detector: await detector() };
  current = scan;
  video.srcObject = stream;
  video.muted = true;
  video.setAttribute('playsinline', '');
  await video.play().catch(() => {});
  scan.timer = setTimeout(() => tick(scan), Interval);
  return true;
}

export function stop() {
  const scan = current;
  current = null;
  if (!scan) {
    return;
  }
  scan.stopped = true;
  clearTimeout(scan.timer);
  scan.stream.getTracks().forEach(track => track.stop());
  scan.video.srcObject = null;
}

async function detector() {
  if (!('BarcodeDetector' in window)) {
    return null;
  }
  try {
    const formats = await window.BarcodeDetector.getSupportedFormats();
    return formats.includes('qr_code') ? new window.BarcodeDetector({ formats: ['qr_code'] }) : null;
  } catch {
    return null;
  }
}

async function tick(scan) {
  if (scan.stopped) {
    return;
  }
  let done = false;
  try {
    const video = scan.video;
    if (video.readyState >= 2 && video.videoWidth > 0) {
      if (scan.detector) {
        const codes = await scan.detector.detect(video);
        if (codes.length > 0) {
          done = await scan.dotnet.invokeMethodAsync('OnCodeAsync', codes[0].rawValue);
        }
      } else {
        const frame = grey(video, scan.canvas);
        done = await scan.dotnet.invokeMethodAsync('OnFrameAsync', DotNet.createJSStreamReference(frame.bytes), frame.width, frame.height);
      }
    }
  } catch {
    // A frame lost (the connection busy, the camera between frames): the next one is as good.
  }
  if (done) {
    if (current === scan) {
      stop();
    }
    return;
  }
  if (!scan.stopped) {
    scan.timer = setTimeout(() => tick(scan), Interval);
  }
}

/** The video's current frame, at most MaxWidth wide, as luminance bytes (BT.601 weights). */
function grey(video, canvas) {
  const scale = Math.min(1, MaxWidth / video.videoWidth);
  const width = Math.round(video.videoWidth * scale);
  const height = Math.round(video.videoHeight * scale);
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(video, 0, 0, width, height);
  const rgba = context.getImageData(0, 0, width, height).data;
  const bytes = new Uint8Array(width * height);
  for (let i = 0, p = 0; p < bytes.length; i += 4, p++) {
    bytes[p] = (rgba[i] * 77 + rgba[i + 1] * 150 + rgba[i + 2] * 29) >> 8;
  }
  return { width, height, bytes };
}
