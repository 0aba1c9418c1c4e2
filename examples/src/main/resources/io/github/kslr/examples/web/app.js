// KSLR live demo page: streams camera frames (JPEG) to the server over a WebSocket and draws what comes back.
// Protocol: see io.github.kslr.examples.web.DemoConnection. One frame is in flight at a time, so the frame rate
// adapts to how fast the server recognises.
'use strict';
(() => {
  const HAND = [[0,1],[1,2],[2,3],[3,4],[0,5],[5,6],[6,7],[7,8],[5,9],[9,10],[10,11],[11,12],[9,13],[13,14],
    [14,15],[15,16],[13,17],[0,17],[17,18],[18,19],[19,20]];
  const POSE = [[0,1],[1,2],[2,3],[3,7],[0,4],[4,5],[5,6],[6,8],[9,10],[11,12],[11,13],[13,15],[15,17],[15,19],
    [15,21],[17,19],[12,14],[14,16],[16,18],[16,20],[16,22],[18,20],[11,23],[12,24],[23,24],[23,25],[24,26],
    [25,27],[26,28],[27,29],[28,30],[29,31],[30,32],[27,31],[28,32]];
  const CAPTURE_WIDTH = 640;

  const $ = (id) => document.getElementById(id);
  const view = $('view'), overlay = $('overlay'), stage = $('stage'), video = $('camera');
  const viewCtx = view.getContext('2d'), overlayCtx = overlay.getContext('2d');
  const capture = document.createElement('canvas');
  const captureCtx = capture.getContext('2d');

  // Read by the browser test (tools/web-demo-test); harmless for users.
  const state = window.kslrDemo = {
    connected: false, speechAvailable: false, videoAvailable: false,
    results: 0, framesWithLandmarks: 0, overlayDraws: 0, errors: [], sentence: '', speechClips: 0, speechPlayed: 0,
    camera: false, landmarks: true, serverVideo: false, inFlight: false, last: null, awaitingClear: false,
    // Sums over camera results: server-side JPEG decode, landmarks, recognition; and the browser's round trip.
    timing: { frames: 0, jpegMs: 0, landmarkMs: 0, recognizeMs: 0, roundTripMs: 0 },
  };
  let sentAt = 0;
  let ws = null;
  let stream = null;
  let lastResultAt = 0, fps = 0;

  function setStatus(text, cls) { const s = $('status'); s.textContent = text; s.className = 'status ' + (cls || ''); }

  function connect() {
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
    ws = new WebSocket(url);
    ws.binaryType = 'blob';
    ws.onopen = () => { state.connected = true; setStatus('connected', 'ok'); updateButtons(); };
    ws.onclose = (e) => {
      state.connected = false; state.inFlight = false;
      setStatus('disconnected' + (e.reason ? ': ' + e.reason : '') + ' — reload to reconnect', 'err');
      updateButtons();
    };
    ws.onmessage = (e) => {
      if (typeof e.data !== 'string') { showServerFrame(e.data); return; }
      let msg;
      try { msg = JSON.parse(e.data); } catch (err) { return; }
      handle(msg);
    };
  }

  function handle(msg) {
    switch (msg.type) {
      case 'hello':
        state.speechAvailable = !!msg.speech;
        state.videoAvailable = !!msg.video;
        $('video-toggle').hidden = !msg.video;
        if (msg.video) { $('video-toggle').title = 'Play ' + msg.videoName + ' on the server as the source'; }
        if (msg.labels) {
          $('model').textContent = 'Model: ' + msg.labels.length + ' signs, ' + msg.sequenceLength
            + '-frame windows, layout ' + msg.layout;
        }
        updateButtons();
        break;
      case 'result':
        onResult(msg);
        break;
      case 'cleared':
        state.awaitingClear = false;
        state.sentence = '';
        $('transcript').textContent = '';
        $('signs').replaceChildren();
        updateButtons();
        break;
      case 'speech':
        state.speechClips++;
        new Audio('data:audio/wav;base64,' + msg.wav).play()
          .then(() => { state.speechPlayed++; })
          .catch((e) => { showError('cannot play the speech: ' + e.message); });
        break;
      case 'video-start':
        state.serverVideo = true; stage.classList.add('live'); updateButtons();
        break;
      case 'video-end':
        state.serverVideo = false; updateButtons();
        if (!state.camera) { stage.classList.remove('live'); }
        break;
      case 'error':
        state.inFlight = false;
        state.errors.push(msg);
        showError(msg.code + ': ' + msg.message);
        updateButtons();
        break;
      default:
        break;
    }
  }

  function showError(text) {
    const li = document.createElement('li');
    li.textContent = text;
    const list = $('errors');
    list.prepend(li);
    while (list.children.length > 3) { list.lastChild.remove(); }
  }

  function onResult(msg) {
    state.results++;
    if (msg.source === 'camera') {
      state.inFlight = false;
      const t = state.timing;
      t.frames++; t.jpegMs += msg.jpegMs; t.landmarkMs += msg.landmarkMs; t.recognizeMs += msg.recognizeMs;
      t.roundTripMs += performance.now() - sentAt;
    }
    if (msg.pose || msg.leftHand || msg.rightHand || msg.face) { state.framesWithLandmarks++; }
    state.last = msg;
    const now = performance.now();
    if (lastResultAt) { fps = 0.9 * fps + 0.1 * (1000 / Math.max(1, now - lastResultAt)); }
    lastResultAt = now;
    if (msg.source === 'camera' && state.camera && capture.width) {
      // Show the very frame these landmarks belong to (the live video runs ahead of the server), then its overlay.
      sizeCanvases(capture.width, capture.height);
      viewCtx.drawImage(capture, 0, 0);
    }
    drawOverlay();
    const p = msg.prediction;
    if (p) {
      $('window').textContent = 'Window: ' + (p.recognized ? (p.khmer || p.label) + ' — ' + p.gloss : 'no sign')
        + ' (' + Math.round(p.confidence * 100) + '%)';
    }
    // Results of frames sent before a Clear still carry the old sentence: wait for the server's "cleared".
    if (state.awaitingClear) { return afterResult(msg); }
    for (const s of msg.signs) {
      const li = document.createElement('li');
      li.textContent = (s.khmer || s.label) + ' — ' + s.gloss + ' (' + Math.round(s.confidence * 100) + '%)';
      $('signs').prepend(li);
    }
    if (msg.sentence !== state.sentence) {
      state.sentence = msg.sentence;
      $('transcript').textContent = msg.sentence;
      updateButtons();
    }
    afterResult(msg);
  }

  function afterResult(msg) {
    $('stats').textContent = 'frame ' + msg.frame + ' · ' + msg.width + '×' + msg.height + ' · jpeg '
      + msg.jpegMs + ' ms · landmarks '
      + msg.landmarkMs + ' ms · recognition ' + msg.recognizeMs + ' ms · ' + fps.toFixed(1) + ' results/s';
    if (state.camera) { requestAnimationFrame(sendFrame); }
  }

  function sizeCanvases(w, h) {
    if (view.width !== w || view.height !== h) { view.width = w; view.height = h; }
    if (overlay.width !== w || overlay.height !== h) { overlay.width = w; overlay.height = h; }
  }

  function drawOverlay() {
    const m = state.last;
    overlayCtx.clearRect(0, 0, overlay.width, overlay.height);
    if (!state.landmarks || !m) { return; }
    const w = overlay.width, h = overlay.height;
    const lines = (pts, pairs, color, width) => {
      if (!pts) { return; }
      overlayCtx.strokeStyle = color; overlayCtx.lineWidth = width; overlayCtx.beginPath();
      for (const [a, b] of pairs) {
        if (a >= pts.length || b >= pts.length) { continue; }
        if (pts[a].length > 3 && (pts[a][3] < 0.5 || pts[b][3] < 0.5)) { continue; }
        overlayCtx.moveTo(pts[a][0] * w, pts[a][1] * h); overlayCtx.lineTo(pts[b][0] * w, pts[b][1] * h);
      }
      overlayCtx.stroke();
    };
    const dots = (pts, color, r) => {
      if (!pts) { return; }
      overlayCtx.fillStyle = color;
      for (const p of pts) {
        if (p.length > 3 && p[3] < 0.5) { continue; }
        overlayCtx.fillRect(p[0] * w - r, p[1] * h - r, 2 * r, 2 * r);
      }
    };
    dots(m.face, 'rgba(200,200,200,0.7)', 1);
    lines(m.pose, POSE, 'rgba(63,185,80,0.9)', 3);
    dots(m.pose, 'rgb(63,185,80)', 3);
    lines(m.leftHand, HAND, 'rgb(255,140,0)', 2);
    dots(m.leftHand, 'rgb(255,200,0)', 3);
    lines(m.rightHand, HAND, 'rgb(47,129,247)', 2);
    dots(m.rightHand, 'rgb(120,180,255)', 3);
    state.overlayDraws++;
  }

  // Camera: send one JPEG at a time; the capture canvas keeps that frame until its result comes back and is shown
  // with its landmarks, so the overlay always matches the picture whatever the server's speed.
  function sendFrame() {
    if (!state.camera || state.inFlight || !ws || ws.readyState !== WebSocket.OPEN || !video.videoWidth) { return; }
    const scale = Math.min(1, CAPTURE_WIDTH / video.videoWidth);
    capture.width = Math.round(video.videoWidth * scale);
    capture.height = Math.round(video.videoHeight * scale);
    captureCtx.drawImage(video, 0, 0, capture.width, capture.height);
    state.inFlight = true;
    capture.toBlob((blob) => {
      if (blob && ws.readyState === WebSocket.OPEN) { sentAt = performance.now(); ws.send(blob); }
      else { state.inFlight = false; }
    }, 'image/jpeg', 0.8);
  }

  async function startCamera() {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
    } catch (e) {
      showError('camera: ' + e.message);
      return;
    }
    video.srcObject = stream;
    await video.play();
    state.camera = true;
    stage.classList.add('live');
    updateButtons();
    const kick = () => { if (video.videoWidth) { sendFrame(); } else { setTimeout(kick, 50); } };
    kick();
  }

  function stopCamera() {
    state.camera = false; state.inFlight = false;
    if (stream) { stream.getTracks().forEach((t) => t.stop()); stream = null; }
    video.srcObject = null;
    if (!state.serverVideo) {
      stage.classList.remove('live');
      viewCtx.clearRect(0, 0, view.width, view.height);
      overlayCtx.clearRect(0, 0, overlay.width, overlay.height);
    }
    updateButtons();
  }

  async function showServerFrame(blob) {
    const bmp = await createImageBitmap(blob);
    sizeCanvases(bmp.width, bmp.height);
    viewCtx.drawImage(bmp, 0, 0);
    bmp.close();
  }

  function send(obj) { if (ws && ws.readyState === WebSocket.OPEN) { ws.send(JSON.stringify(obj)); } }

  function updateButtons() {
    const cam = $('camera-toggle');
    cam.textContent = 'Camera: ' + (state.camera ? 'on' : 'off');
    cam.setAttribute('aria-pressed', String(state.camera));
    cam.disabled = !state.connected || state.serverVideo;
    const lm = $('landmarks-toggle');
    lm.textContent = 'Landmarks: ' + (state.landmarks ? 'on' : 'off');
    lm.setAttribute('aria-pressed', String(state.landmarks));
    const vt = $('video-toggle');
    vt.textContent = 'Server video: ' + (state.serverVideo ? 'on' : 'off');
    vt.setAttribute('aria-pressed', String(state.serverVideo));
    vt.disabled = !state.connected || state.camera;
    const speak = $('speak');
    const hasText = state.sentence.trim().length > 0;
    speak.disabled = !state.connected || !hasText || !state.speechAvailable;
    speak.title = !state.speechAvailable ? 'No voice configured: start the server with --voice VOICE.onnx'
      : !hasText ? 'Nothing to speak yet' : 'Speak the transcript in Khmer';
    $('clear').disabled = !state.connected;
  }

  $('camera-toggle').onclick = () => (state.camera ? stopCamera() : startCamera());
  $('landmarks-toggle').onclick = () => { state.landmarks = !state.landmarks; drawOverlay(); updateButtons(); };
  $('video-toggle').onclick = () => send({ type: state.serverVideo ? 'stop-video' : 'video' });
  $('clear').onclick = () => {
    state.awaitingClear = true;
    send({ type: 'clear' });
    state.sentence = '';
    $('transcript').textContent = '';
    $('signs').replaceChildren();
    updateButtons();
  };
  $('speak').onclick = () => { $('speak').disabled = true; send({ type: 'speak' }); };

  updateButtons();
  connect();
})();
