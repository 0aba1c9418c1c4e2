#!/usr/bin/env node
// Drives the KSLR live web demo in Debian's headless Chromium with a fake camera that plays a .y4m video, and checks
// the page end to end: landmarks arrive over the WebSocket, the overlay draws them (canvas pixels), the landmark
// toggle clears the overlay, Speak is disabled without a transcript, Clear empties the transcript.
//
// Usage: node demo-test.mjs --url http://127.0.0.1:PORT/ --y4m FILE.y4m --screenshot OUT.png
//          [--chromium /usr/bin/chromium] [--min-landmark-frames 10] [--timeout-ms 120000] [--expect-speech]
// Prints one JSON summary line on stdout; exits 0 when every check passed, 1 with the failed checks otherwise.
import { parseArgs, runInBrowser } from './harness.mjs';

const o = parseArgs(process.argv, { url: undefined, y4m: undefined, screenshot: undefined,
  chromium: '/usr/bin/chromium', minLandmarkFrames: 10, timeoutMs: 120000, expectSpeech: false });
if (!o.url || !o.y4m || !o.screenshot) { throw new Error('--url, --y4m and --screenshot are required'); }

await runInBrowser(o, { width: 1280, height: 800 }, async (page, check) => {
  await page.goto(o.url);
  await page.waitForFunction(() => window.kslrDemo && window.kslrDemo.connected, null, { timeout: o.timeoutMs });

  // A server without a vocabulary cannot teach: the panel says how to start one that can.
  await page.waitForFunction(() => window.kslrDemo.hello, null, { timeout: o.timeoutMs });
  const teach = await page.evaluate(() => {
    const shown = (id) => getComputedStyle(document.getElementById(id)).display !== 'none';
    return { available: window.kslrDemo.teach.available,
      help: shown('teach-unavailable') ? document.getElementById('teach-unavailable').textContent : null,
      formHidden: !shown('teach-form') };
  });
  check('Teach a sign says how to start a server with a vocabulary', !teach.available && teach.formHidden
    && teach.help && teach.help.includes('serve --vocabulary'), JSON.stringify(teach));

  const speakDisabledAtStart = await page.isDisabled('#speak');
  check('Speak is disabled before any transcript', speakDisabledAtStart
    && (await page.textContent('#transcript')) === '');

  await page.click('#camera-toggle');
  await page.waitForFunction((n) => window.kslrDemo.framesWithLandmarks >= n, o.minLandmarkFrames,
    { timeout: o.timeoutMs, polling: 200 });
  const st = await page.evaluate(() => ({ ...window.kslrDemo, last: undefined, errors: window.kslrDemo.errors }));
  check('landmarks arrive', st.framesWithLandmarks >= o.minLandmarkFrames,
    `${st.framesWithLandmarks} of ${st.results} results had landmarks`);

  // What the overlay canvas holds: pixels drawn, and how many are the pose's green and the hands' colours.
  const overlayPixels = () => page.evaluate(() => {
    const c = document.getElementById('overlay');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let drawn = 0, green = 0, hand = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] === 0) continue;
      drawn++;
      if (d[i + 1] > 150 && d[i] < 120 && d[i + 2] < 120) green++;
      if ((d[i] > 200 && d[i + 1] > 100 && d[i + 2] < 60) || (d[i + 2] > 200 && d[i] < 140)) hand++;
    }
    return { width: c.width, height: c.height, drawn, green, hand };
  });
  const lastHasPose = await page.evaluate(() => !!(window.kslrDemo.last && window.kslrDemo.last.pose));
  const on = await overlayPixels();
  check('overlay draws the landmarks', on.drawn > 200 && (!lastHasPose || on.green > 50),
    `overlay ${on.width}x${on.height}: ${on.drawn} drawn pixels, ${on.green} pose-green, ${on.hand} hand-coloured`);

  await page.click('#landmarks-toggle');
  const off = await overlayPixels();
  check('landmark toggle clears the overlay', off.drawn === 0, `${off.drawn} drawn pixels with landmarks off`);
  await page.click('#landmarks-toggle');
  await page.waitForFunction(() => {
    const c = document.getElementById('overlay');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) return true; }
    return false;
  }, null, { timeout: 20000 });

  const speechAvailable = await page.evaluate(() => window.kslrDemo.speechAvailable);
  let transcriptBefore = '';
  let speech = null;
  if (o.expectSpeech) {
    // The model in use recognises a sign in every window: the transcript fills, Speak turns on (with a voice).
    await page.waitForFunction(() => window.kslrDemo.sentence.trim() !== '', null, { timeout: o.timeoutMs });
    transcriptBefore = await page.textContent('#transcript');
    check('the transcript shows the recognised signs', transcriptBefore.trim() !== '', `"${transcriptBefore}"`);
    check('Speak is enabled with a transcript and a voice', speechAvailable && !(await page.isDisabled('#speak')),
      `voice ${speechAvailable}`);
  } else {
    // The model may or may not recognise a sign in this clip; Clear must empty the transcript either way.
    transcriptBefore = await page.textContent('#transcript');
  }
  await page.screenshot({ path: o.screenshot });

  await page.click('#clear');
  const afterClear = await page.textContent('#transcript');
  const signsAfterClear = await page.evaluate(() => document.querySelectorAll('#signs li').length);
  check('Clear empties the transcript', afterClear === '' && signsAfterClear === 0,
    `before "${transcriptBefore}", after "${afterClear}", ${signsAfterClear} signs listed`);
  check('Speak is disabled after Clear (no transcript)', await page.isDisabled('#speak'));

  if (o.expectSpeech) {
    await page.waitForFunction(() => window.kslrDemo.sentence.trim() !== '', null, { timeout: o.timeoutMs });
    await page.click('#speak');
    await page.waitForFunction(() => window.kslrDemo.speechClips > 0, null, { timeout: o.timeoutMs });
    // The browser must decode the WAV and start playing it (headless Chromium has a fake audio output).
    await page.waitForFunction(() => window.kslrDemo.speechPlayed > 0, null, { timeout: 20000 }).catch(() => {});
    speech = await page.evaluate(() => ({ clips: window.kslrDemo.speechClips, played: window.kslrDemo.speechPlayed }));
    check('Speak plays the transcript as a clip', speech.clips > 0 && speech.played > 0,
      `${speech.clips} clip(s) received, ${speech.played} played`);
  }

  await page.click('#camera-toggle');
  const offState = await page.evaluate(() => ({ camera: window.kslrDemo.camera,
    offShown: getComputedStyle(document.getElementById('camera-off')).display !== 'none' }));
  check('camera toggle turns the camera off', !offState.camera && offState.offShown);

  // The server's own video file as the source (for people without a camera), when the server has one.
  let video = null;
  if (await page.evaluate(() => window.kslrDemo.videoAvailable)) {
    const before = await page.evaluate(() => window.kslrDemo.results);
    await page.click('#video-toggle');
    await page.waitForFunction((n) => window.kslrDemo.last && window.kslrDemo.last.source === 'video'
      && window.kslrDemo.results >= n + 5, before, { timeout: o.timeoutMs, polling: 200 });
    const viewDrawn = await page.evaluate(() => {
      const c = document.getElementById('view');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let lit = 0;
      for (let i = 0; i < d.length; i += 4) { if (d[i] + d[i + 1] + d[i + 2] > 60) lit++; }
      return { width: c.width, height: c.height, lit };
    });
    const ov = await overlayPixels();
    // The two defects a screenshot once showed: the "Camera is off" label over the playing video, and the toggle
    // reading "off" during playback.
    const during = await page.evaluate(() => ({
      offShown: getComputedStyle(document.getElementById('camera-off')).display !== 'none',
      toggle: document.getElementById('video-toggle').textContent }));
    check('while the server video plays the camera-off label is hidden and the toggle reads on',
      !during.offShown && during.toggle === 'Server video: on',
      `label ${during.offShown ? 'shown' : 'hidden'}, toggle "${during.toggle}"`);
    check('server video plays in the camera pane with the overlay',
      viewDrawn.lit > viewDrawn.width * viewDrawn.height / 4 && ov.drawn > 200,
      `view ${viewDrawn.width}x${viewDrawn.height} with ${viewDrawn.lit} lit pixels; overlay ${ov.drawn} drawn`);
    if (o.screenshot) { await page.screenshot({ path: o.screenshot.replace(/\.png$/, '') + '-video.png' }); }
    await page.click('#video-toggle');
    await page.waitForFunction(() => !window.kslrDemo.serverVideo, null, { timeout: 20000 });
    video = { view: viewDrawn, overlay: ov };
  }

  const timing = await page.evaluate(() => window.kslrDemo.timing);
  const fin = await page.evaluate(() => ({ results: window.kslrDemo.results,
    framesWithLandmarks: window.kslrDemo.framesWithLandmarks }));
  return { timing, results: fin.results, framesWithLandmarks: fin.framesWithLandmarks, overlay: on, overlayOff: off,
    transcriptBeforeClear: transcriptBefore, speechClips: speech, video };
});
