#!/usr/bin/env node
// KSLR's MediaPipe reference tool: runs MediaPipe's own Holistic solution (npm @mediapipe/holistic, WASM +
// XNNPACK CPU inference) in Debian's headless Chromium on an image or a video and writes the JSON that
// `kslr landmarks` writes, so that both can be compared frame by frame.
//
// Usage:
//   node reference.mjs INPUT [--out OUT.json] [--mode image|video] [--smooth|--no-smooth] [--timing T.json]
//   node reference.mjs IMG1 IMG2 ... --out-dir DIR      (image mode; writes DIR/<name>.json per input)
//
// Frames are decoded by Debian's ffmpeg into packed RGB (no rotation tag applied), the same way the Java side
// decodes them (libavcodec through javacv), then handed to the page over a loopback HTTP server that also
// serves the holistic package (the solution loads its graph, wasm and models with fetch/XHR, so file:// fails).
//
// Modes: "image" = MediaPipe has no static-image mode in this JS build, so every frame is sent after reset()
// with smoothing off (each frame independent). "video" = tracking, smoothing on unless --no-smooth, explicit
// frame timestamps. The default is image for .jpg/.jpeg/.png/.bmp/.webp inputs, video otherwise.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HOLISTIC_DIR = path.join(HERE, 'node_modules', '@mediapipe', 'holistic');
const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png', '.bmp', '.webp']);

function usage(msg) {
  if (msg) process.stderr.write(`error: ${msg}\n`);
  process.stderr.write('usage: node reference.mjs INPUT... [--out OUT.json | --out-dir DIR] [--mode image|video] '
    + '[--smooth|--no-smooth] [--timing TIMING.json] [--max-frames N] [--chromium PATH]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { inputs: [], out: null, outDir: null, mode: null, smooth: null, timing: null, maxFrames: Infinity,
    chromium: process.env.KSLR_CHROMIUM || '/usr/bin/chromium' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => { if (i + 1 >= argv.length) usage(`${a} needs a value`); return argv[++i]; };
    if (a === '--out') o.out = next();
    else if (a === '--out-dir') o.outDir = next();
    else if (a === '--mode') o.mode = next();
    else if (a === '--smooth') o.smooth = true;
    else if (a === '--no-smooth') o.smooth = false;
    else if (a === '--timing') o.timing = next();
    else if (a === '--max-frames') o.maxFrames = Number(next());
    else if (a === '--chromium') o.chromium = next();
    else if (a === '-h' || a === '--help') usage();
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else o.inputs.push(a);
  }
  if (o.inputs.length === 0) usage('no input');
  if (o.inputs.length > 1 && !o.outDir) usage('several inputs need --out-dir');
  if (o.inputs.length === 1 && !o.out && !o.outDir) usage('--out or --out-dir is required');
  if (o.mode && o.mode !== 'image' && o.mode !== 'video') usage(`--mode must be image or video, was ${o.mode}`);
  if (!(o.maxFrames > 0)) usage('--max-frames must be > 0');
  return o;
}

function probe(file) {
  const r = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries',
    'stream=width,height,r_frame_rate', '-of', 'json', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffprobe failed on ${file}: ${r.stderr}`);
  const s = JSON.parse(r.stdout).streams[0];
  if (!s) throw new Error(`${file} has no video stream`);
  const [num, den] = String(s.r_frame_rate || '0/1').split('/').map(Number);
  return { width: s.width, height: s.height, fps: den > 0 && num > 0 ? num / den : 0 };
}

// Decodes every frame to packed RGB24, one Buffer per frame.
function decodeFrames(file, width, height, maxFrames) {
  return new Promise((resolve, reject) => {
    const frameBytes = width * height * 3;
    const ff = spawn('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
    const frames = [];
    let pending = Buffer.alloc(0);
    let err = '';
    ff.stdout.on('data', (chunk) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= frameBytes && frames.length < maxFrames) {
        frames.push(Buffer.from(pending.subarray(0, frameBytes)));
        pending = pending.subarray(frameBytes);
      }
    });
    ff.stderr.on('data', (d) => { err += d; });
    ff.on('close', (code) => {
      if (code !== 0 && frames.length === 0) reject(new Error(`ffmpeg failed on ${file}: ${err}`));
      else resolve(frames);
    });
  });
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><script src="/mp/holistic.js"></script></head>
<body><canvas id="c"></canvas><script>
window.kslr = { holistic: null, last: null };
window.kslrInit = async (options) => {
  const h = new Holistic({ locateFile: (f) => '/mp/' + f });
  h.onResults((r) => { window.kslr.last = r; });
  h.setOptions(options);
  await h.initialize();
  window.kslr.holistic = h;
};
function pts(list, withVis) {
  if (!list || list.length === 0) return null;
  return list.map((p) => withVis ? [p.x, p.y, p.z, p.visibility] : [p.x, p.y, p.z]);
}
// Sends one frame; returns its landmarks and the time MediaPipe took (ms, send() until the result).
window.kslrFrame = async (index, width, height, tsMs, reset) => {
  const resp = await fetch('/frame/' + index);
  const rgb = new Uint8Array(await resp.arrayBuffer());
  const canvas = document.getElementById('c');
  canvas.width = width; canvas.height = height;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(width, height);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    img.data[j] = rgb[i]; img.data[j + 1] = rgb[i + 1]; img.data[j + 2] = rgb[i + 2]; img.data[j + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  const h = window.kslr.holistic;
  if (reset) h.reset();
  window.kslr.last = null;
  const t0 = performance.now();
  // The public send() ignores its timestamp argument in this build and stamps packets with the browser clock;
  // the wrapped solution object (h.h) honours it, which makes the One-Euro filters deterministic.
  await h.h.send({ image: canvas }, tsMs);
  const ms = performance.now() - t0;
  const r = window.kslr.last || {};
  return { ms, pose: pts(r.poseLandmarks, true), leftHand: pts(r.leftHandLandmarks, false),
    rightHand: pts(r.rightHandLandmarks, false), face: pts(r.faceLandmarks, false) };
};
</script></body></html>`;

function startServer(state) {
  const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.data': 'application/octet-stream',
    '.binarypb': 'application/octet-stream', '.tflite': 'application/octet-stream' };
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(req.url.split('?')[0]);
    if (url === '/' || url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    } else if (url.startsWith('/frame/')) {
      const f = state.frames[Number(url.slice(7))];
      if (!f) { res.writeHead(404).end(); return; }
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(f);
    } else if (url.startsWith('/mp/')) {
      const file = path.join(HOLISTIC_DIR, path.basename(url.slice(4)));
      fs.readFile(file, (e, data) => {
        if (e) { res.writeHead(404).end(); return; }
        res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' }).end(data);
      });
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function median(a) {
  if (a.length === 0) return NaN;
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const state = { frames: [] };
  const server = await startServer(state);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: o.chromium,
    headless: true,
    // WebGL is mandatory even with CPU inference (the JS graph is the GPU graph): SwiftShader provides it.
    // The networking flags stop Chromium from reaching for Google's hosts on this closed network.
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-quic',
      '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const timings = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e}\n`));
    await page.goto(origin + '/');
    const tInit0 = Date.now();
    let initOptions = null;
    for (const input of o.inputs) {
      const mode = o.mode || (IMAGE_EXT.has(path.extname(input).toLowerCase()) ? 'image' : 'video');
      const smooth = o.smooth === null ? mode === 'video' : o.smooth;
      const options = { modelComplexity: 1, smoothLandmarks: smooth, enableSegmentation: false,
        refineFaceLandmarks: false, minDetectionConfidence: 0.5, minTrackingConfidence: 0.5, selfieMode: false,
        useCpuInference: true };
      if (initOptions === null) {
        await page.evaluate((opt) => window.kslrInit(opt), options);
        initOptions = options;
      } else if (initOptions.smoothLandmarks !== smooth) {
        await page.evaluate((s) => window.kslr.holistic.setOptions({ smoothLandmarks: s }), smooth);
        initOptions = options;
      }
      const initMs = Date.now() - tInit0;
      const info = probe(input);
      state.frames = await decodeFrames(input, info.width, info.height, o.maxFrames);
      const fps = mode === 'video' && info.fps > 0 ? info.fps : 30;
      const out = [];
      const frameMs = [];
      for (let i = 0; i < state.frames.length; i++) {
        const tsMs = Math.round((i * 1000) / fps);
        // MediaPipe's smoothing skips a packet stamped 0 and needs strictly increasing stamps, so the clip is sent
        // one frame interval late; the filters only see differences, so the output is unaffected.
        const sendTs = mode === 'video' ? (i + 1) * (1000 / fps) : (i + 1) * 1000;
        const r = await page.evaluate(([idx, w, h, ts, reset]) => window.kslrFrame(idx, w, h, ts, reset),
          [i, info.width, info.height, sendTs, mode === 'image' || i === 0]);
        frameMs.push(r.ms);
        out.push({ frame: i, timestampMs: tsMs, width: info.width, height: info.height, pose: r.pose,
          leftHand: r.leftHand, rightHand: r.rightHand, face: r.face });
      }
      const dest = o.outDir ? path.join(o.outDir, path.basename(input).replace(/\.[^.]+$/, '') + '.json') : o.out;
      if (o.outDir) fs.mkdirSync(o.outDir, { recursive: true });
      fs.writeFileSync(dest, JSON.stringify(out));
      // The first frame includes graph warm-up; the steady rate is what the speed goal compares.
      const steady = frameMs.slice(1);
      const t = { input, mode, smoothLandmarks: smooth, frames: frameMs.length, initMs,
        firstFrameMs: frameMs[0], medianFrameMs: median(steady.length ? steady : frameMs),
        meanFrameMs: (steady.length ? steady : frameMs).reduce((a, b) => a + b, 0) / Math.max(1, (steady.length ? steady : frameMs).length),
        framesPerSecond: 1000 / median(steady.length ? steady : frameMs),
        found: { pose: out.filter((f) => f.pose).length, leftHand: out.filter((f) => f.leftHand).length,
          rightHand: out.filter((f) => f.rightHand).length, face: out.filter((f) => f.face).length } };
      timings.push(t);
      process.stderr.write(`${input}: ${mode} mode, smoothing ${smooth ? 'on' : 'off'}, ${t.frames} frames, `
        + `median ${t.medianFrameMs.toFixed(1)} ms/frame (${t.framesPerSecond.toFixed(2)} frames/s), found pose `
        + `${t.found.pose} left ${t.found.leftHand} right ${t.found.rightHand} face ${t.found.face} -> ${dest}\n`);
    }
  } finally {
    await browser.close();
    server.close();
  }
  if (o.timing) fs.writeFileSync(o.timing, JSON.stringify(timings.length === 1 ? timings[0] : timings, null, 1));
}

main().catch((e) => { process.stderr.write(`${e.stack || e}\n`); process.exit(1); });
