// KSLR live demo page: streams camera frames (JPEG) to the server over a WebSocket and draws what comes back.
// Protocol: see io.github.kslr.examples.web.DemoConnection. One frame is in flight at a time, so the frame rate
// adapts to how fast the server recognises.
'use strict';
(() => {
  // The lines drawn between landmarks, as the server's hello names them (kslr-api's connection lists).
  let HAND = [], POSE = [];
  const CAPTURE_WIDTH = 640;

  const $ = (id) => document.getElementById(id);
  const view = $('view'), overlay = $('overlay'), stage = $('stage'), video = $('camera');
  const viewCtx = view.getContext('2d'), overlayCtx = overlay.getContext('2d');
  const capture = document.createElement('canvas');
  const captureCtx = capture.getContext('2d');

  // Read by the browser test (tools/web-demo-test); harmless for users.
  const state = window.kslrDemo = {
    connected: false, hello: false, speechAvailable: false, videoAvailable: false,
    results: 0, framesWithLandmarks: 0, overlayDraws: 0, errors: [], sentence: '', speechClips: 0, speechPlayed: 0,
    camera: false, landmarks: true, serverVideo: false, inFlight: false, last: null, awaitingClear: false,
    // Sums over camera results: server-side JPEG decode, landmarks, recognition; and the browser's round trip.
    timing: { frames: 0, jpegMs: 0, landmarkMs: 0, recognizeMs: 0, roundTripMs: 0 },
    // "Teach a sign": phase idle | starting | countdown | recording | checking | saving; counters for the test.
    teach: { available: false, phase: 'idle', take: 0, takes: 0, countdownsShown: 0, recordingsShown: 0,
      badTakes: 0, taught: [], added: [], deleted: [], errors: [] },
    vocabulary: null,
    // Window predictions so far, and how many were recognised as each label.
    predictions: 0, recognizedByLabel: {},
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
    ws.onopen = () => { state.connected = true; setStatus('connected', 'ok'); updateButtons(); updateTeach(); };
    ws.onclose = (e) => {
      state.connected = false; state.inFlight = false;
      setStatus('disconnected' + (e.reason ? ': ' + e.reason : '') + ' — reload to reconnect', 'err');
      updateButtons();
      updateTeach();
      if (waiter) { const w = waiter; waiter = null; w({ type: 'error', code: 'disconnected' }); }
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
        if (msg.connections) { POSE = msg.connections.pose; HAND = msg.connections.hand; }
        state.speechAvailable = !!msg.speech;
        state.videoAvailable = !!msg.video;
        $('video-toggle').hidden = !msg.video;
        if (msg.video) { $('video-toggle').title = 'Play ' + msg.videoName + ' on the server as the source'; }
        if (msg.labels && !msg.teach) {
          $('model').textContent = 'Model: ' + msg.labels.length + ' signs, ' + msg.sequenceLength
            + '-frame windows, layout ' + msg.layout;
        }
        state.hello = true;
        state.teach.available = !!msg.teach;
        if (msg.teach) {
          $('teach-takes').min = msg.minTakes; $('teach-takes').max = msg.maxTakes;
          $('teach-takes').value = msg.defaultTakes;
          $('teach-khmer').maxLength = msg.maxKhmerChars; $('teach-gloss').maxLength = msg.maxGlossChars;
        }
        updateButtons();
        updateTeach();
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
      case 'vocabulary':
        showVocabulary(msg);
        break;
      case 'deleted':
        state.teach.deleted.push(msg.label);
        teachProgress('Deleted ' + msg.label, 'ok');
        break;
      case 'teach-ready': case 'take-recording': case 'take': case 'taught':
        teachInbox(msg);
        break;
      case 'teach-cancelled':
        draining = false;
        break;
      case 'error':
        if (TEACH_ERRORS.has(msg.code)) {
          // Answers to teaching or deleting: shown in the teach panel; the teaching loop decides what follows.
          state.teach.errors.push(msg);
          teachProgress(msg.message, 'err');
          teachInbox(msg);
          break;
        }
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
      state.predictions++;
      if (p.recognized) { state.recognizedByLabel[p.label] = (state.recognizedByLabel[p.label] || 0) + 1; }
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
      + msg.landmarkMs + ' ms · recognition ' + msg.recognizeMs + ' ms · ' + fps.toFixed(1) + ' results/s'
      + (msg.dropped ? ' · ' + msg.dropped + ' video frames dropped (this page read too slowly)' : '');
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

  // --- Teach a sign ---------------------------------------------------------------------------------------------
  // The page runs the countdown and each take's timer; the server adds every frame it processes during a take (the
  // very frames it recognises) to the take and picks its window, then teaches the sign after the last take.
  const TEACH_ERRORS = new Set(['teach-unavailable', 'bad-teach', 'teach-busy', 'not-teaching', 'bad-take',
    'teach-failed', 'unknown-sign', 'delete-failed']);
  const teach = state.teach;
  let inbox = [];
  let waiter = null;
  let cancelled = false;
  // After a teach-cancel, answers the server sent before it are dropped until its "teach-cancelled".
  let draining = false;

  function teachInbox(msg) {
    if (draining || teach.phase === 'idle') { return; }
    if (waiter) { const w = waiter; waiter = null; w(msg); } else { inbox.push(msg); }
  }

  /** The next answer to teaching (a teach message or a teach error), or {type: 'cancelled'} on Cancel. */
  function nextTeachMessage() {
    if (inbox.length) { return Promise.resolve(inbox.shift()); }
    return new Promise((resolve) => { waiter = resolve; });
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function teachProgress(text, cls) {
    const p = $('teach-progress');
    p.textContent = text;
    p.className = 'model ' + (cls || '');
  }

  function showCountdown(n) {
    const c = $('countdown');
    c.textContent = String(n);
    c.hidden = n <= 0;
  }

  function showRecording(text) {
    $('recording').hidden = !text;
    $('recording-text').textContent = text || '';
    stage.classList.toggle('recording', !!text);
  }

  function updateTeach() {
    const available = state.teach.available;
    // Until the server's hello says whether it can teach, neither the form nor the help is shown.
    $('teach-unavailable').hidden = !state.hello || available;
    $('teach-form').hidden = !available;
    $('taught').hidden = !available;
    const busy = teach.phase !== 'idle';
    for (const id of ['teach-khmer', 'teach-gloss', 'teach-takes', 'teach-seconds', 'teach-countdown']) {
      $(id).disabled = busy || !available;
    }
    $('teach-start').disabled = busy || !available || !state.connected;
    $('teach-cancel').hidden = !busy;
    for (const b of document.querySelectorAll('#taught-signs button')) { b.disabled = busy || !state.connected; }
  }

  function showVocabulary(msg) {
    state.vocabulary = msg.signs;
    $('vocabulary-file').textContent = '(' + msg.file + ')';
    $('model').textContent = 'Vocabulary ' + msg.file + ': ' + msg.signs.length + ' taught sign'
      + (msg.signs.length === 1 ? '' : 's');
    const items = msg.signs.map((s) => {
      const li = document.createElement('li');
      li.dataset.label = s.label;
      const word = document.createElement('span');
      word.className = 'word'; word.lang = 'km'; word.textContent = s.khmer || s.label;
      const meta = document.createElement('span');
      meta.className = 'meta';
      meta.textContent = (s.gloss ? s.gloss + ' · ' : '') + s.takes + ' takes';
      // More takes, best from someone else: a sign taught by one person is missed more often in other hands.
      const more = document.createElement('button');
      more.type = 'button'; more.className = 'add-takes'; more.textContent = 'Add takes';
      more.title = 'Record more takes of ' + (s.khmer || s.label) + ', best by another person';
      more.onclick = () => teachSign(s);
      const del = document.createElement('button');
      del.type = 'button'; del.className = 'delete'; del.textContent = 'Delete';
      del.title = 'Delete ' + (s.khmer || s.label) + ' from the vocabulary';
      del.onclick = () => {
        if (confirm('Delete the sign ' + (s.khmer || s.label) + '? Its takes are lost.')) {
          send({ type: 'delete-sign', label: s.label });
        }
      };
      li.append(word, meta, more, del);
      return li;
    });
    $('taught-signs').replaceChildren(...items);
    updateTeach();
  }

  function readNumber(id, min, max, what) {
    const v = Number($(id).value);
    if (!Number.isFinite(v) || v < min || v > max) { throw new Error(what + ' must be from ' + min + ' to ' + max); }
    return v;
  }

  /** Teaches the sign the form names or, given a taught sign, records more takes of it. */
  async function teachSign(taught) {
    if (teach.phase !== 'idle' || !teach.available) { return; }
    if (draining) { teachProgress('Still cancelling the last teaching; try again in a moment', 'err'); return; }
    const more = !!taught;
    let khmer, gloss, takes, seconds, countdown;
    try {
      khmer = more ? taught.label : $('teach-khmer').value.trim();
      gloss = more ? '' : $('teach-gloss').value.trim();
      if (!khmer) { throw new Error('type the Khmer word of the sign first'); }
      takes = Math.round(readNumber('teach-takes', Number($('teach-takes').min), Number($('teach-takes').max),
        'Takes'));
      seconds = readNumber('teach-seconds', 0.5, 10, 'Seconds a take');
      countdown = Math.round(readNumber('teach-countdown', 1, 10, 'Countdown'));
    } catch (e) {
      teachProgress(e.message, 'err');
      return;
    }
    inbox = []; waiter = null; cancelled = false;
    teach.phase = 'starting'; teach.take = 0; teach.takes = takes;
    updateTeach();
    let started = false;
    try {
      if (!state.camera && !state.serverVideo) {
        await startCamera();
        if (!state.camera) { teachProgress('Teaching records takes from the camera: allow the camera', 'err'); return; }
      }
      send(more ? { type: 'teach-start', khmer, takes, more } : { type: 'teach-start', khmer, gloss, takes });
      let m = await nextTeachMessage();
      if (m.type !== 'teach-ready') { return; } // the error is shown already
      started = true;
      let retries = 0;
      while (teach.take < teach.takes) {
        teach.phase = 'countdown'; updateTeach();
        teachProgress('Take ' + (teach.take + 1) + ' of ' + teach.takes + ': get ready to sign ' + m.khmer);
        teach.countdownsShown++;
        for (let n = countdown; n > 0; n--) {
          showCountdown(n);
          await sleep(1000);
          if (cancelled) { return; }
        }
        showCountdown(0);
        send({ type: 'take-start' });
        const rec = await nextTeachMessage();
        if (rec.type !== 'take-recording') { return; }
        teach.phase = 'recording'; updateTeach();
        showRecording('REC  take ' + rec.take + ' / ' + rec.takes);
        teach.recordingsShown++;
        teachProgress('Recording take ' + rec.take + ' of ' + rec.takes + ': sign ' + m.khmer + ' now');
        await sleep(seconds * 1000);
        showRecording(null);
        if (cancelled) { return; }
        teach.phase = 'checking'; updateTeach();
        send({ type: 'take-end' });
        const t = await nextTeachMessage();
        if (t.type === 'take') {
          teach.take = t.take;
          retries = 0;
          teachProgress('Take ' + t.take + ' of ' + t.takes + ' kept (' + t.handFrames + ' of its window\'s frames'
            + ' show a hand)', 'ok');
          continue;
        }
        if (t.type === 'error' && t.code === 'bad-take' && ++retries < 3) {
          teach.badTakes++;
          teachProgress(t.message + '. Once more.', 'err');
          continue;
        }
        return;
      }
      teach.phase = 'saving'; updateTeach();
      const done = await nextTeachMessage();
      started = false; // the server has finished this teaching either way
      if (done.type === 'taught' && more) {
        teach.added.push(done.label);
        teachProgress('Added ' + done.added + ' takes to ' + done.khmer + ': ' + done.takes + ' in all', 'ok');
      } else if (done.type === 'taught') {
        teach.taught.push(done.label);
        teachProgress('Taught ' + done.khmer + (done.gloss ? ' (' + done.gloss + ')' : '') + ' from ' + done.takes
          + ' takes: sign it now and watch the transcript. Takes from another person (Add takes) can help it'
          + ' recognise other people.', 'ok');
        $('teach-khmer').value = ''; $('teach-gloss').value = '';
      }
    } finally {
      if (started && (cancelled || teach.take < teach.takes)) {
        draining = true;
        send({ type: 'teach-cancel' });
      }
      if (cancelled) { teachProgress('Teaching cancelled; nothing was saved'); }
      showCountdown(0); showRecording(null);
      teach.phase = 'idle';
      updateTeach();
    }
  }

  $('teach-form').onsubmit = (e) => { e.preventDefault(); teachSign(); };
  $('teach-cancel').onclick = () => {
    cancelled = true;
    if (waiter) { const w = waiter; waiter = null; w({ type: 'cancelled' }); }
  };

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
  updateTeach();
  connect();
})();
