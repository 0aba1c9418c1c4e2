#!/usr/bin/env node
// Drives the web demo's "Teach a sign" in Debian's headless Chromium with a fake camera playing a .y4m video (the
// same loop for the takes and for recognition afterwards). Two phases, around a server restart done by the caller:
//   --phase teach:   the vocabulary is empty; teach --word from the camera (countdown and recording indicator seen
//                    for every take), then the same clip is recognised as that sign (window prediction and
//                    transcript); teaching the word again is refused with a clear message.
//   --phase restart: after the restart the word is still listed and recognised; Add takes records --takes more
//                    takes of it (another person's, in a classroom); Delete removes it from the list and from
//                    recognition.
//
// Usage: node teach-test.mjs --url URL --y4m FILE.y4m --phase teach|restart --word KHMER [--gloss TEXT]
//          [--takes 3] [--seconds 1.5] [--countdown 1] [--screenshot OUT.png] [--chromium /usr/bin/chromium]
//          [--timeout-ms 90000]
// Prints one JSON summary line on stdout; exits 0 when every check passed, 1 with the failed checks otherwise.
import { parseArgs, runInBrowser } from './harness.mjs';

const o = parseArgs(process.argv, { url: undefined, y4m: undefined, phase: undefined, word: undefined, gloss: '',
  takes: 3, seconds: 1.5, countdown: 1, screenshot: undefined, chromium: '/usr/bin/chromium', timeoutMs: 90000 });
if (!o.url || !o.y4m || !o.word || !['teach', 'restart'].includes(o.phase)) {
  throw new Error('--url, --y4m, --word and --phase teach|restart are required');
}
// Milliseconds from the start to each step, in the summary (where a slow run spends its time).
const started = Date.now();
const marks = {};
const mark = (name) => { marks[name] = Date.now() - started; };

await runInBrowser(o, { width: 1280, height: 900 }, async (page, check) => {
  page.on('dialog', (d) => d.accept()); // Delete asks for confirmation
  mark('browser');
  await page.goto(o.url);
  await page.waitForFunction(() => window.kslrDemo && window.kslrDemo.connected && window.kslrDemo.vocabulary,
    null, { timeout: o.timeoutMs });
  const listed = () => page.evaluate(() => [...document.querySelectorAll('#taught-signs li')]
    .map((li) => li.dataset.label));
  const available = await page.evaluate(() => ({ teach: window.kslrDemo.teach.available,
    formShown: getComputedStyle(document.getElementById('teach-form')).display !== 'none',
    helpShown: getComputedStyle(document.getElementById('teach-unavailable')).display !== 'none' }));
  check('Teach a sign is available with a vocabulary', available.teach && available.formShown && !available.helpShown,
    JSON.stringify(available));

  // Windows recognised as the word so far (the page counts recognised window predictions by label).
  const recognisedCount = () => page.evaluate((w) => window.kslrDemo.recognizedByLabel[w] || 0, o.word);
  // Waits for a window recognised as the word; returns the prediction counts and the last prediction.
  const recognised = async (timeoutMs) => {
    const before = await recognisedCount();
    await page.waitForFunction(([w, n]) => (window.kslrDemo.recognizedByLabel[w] || 0) > n, [o.word, before],
      { timeout: timeoutMs, polling: 100 }).catch(() => {});
    return page.evaluate((w) => ({ recognised: window.kslrDemo.recognizedByLabel[w] || 0,
      predictions: window.kslrDemo.predictions, last: window.kslrDemo.last && window.kslrDemo.last.prediction }),
    o.word);
  };

  if (o.phase === 'teach') {
    check('the vocabulary starts empty', (await listed()).length === 0, JSON.stringify(await listed()));
    await page.fill('#teach-khmer', o.word);
    await page.fill('#teach-gloss', o.gloss);
    await page.fill('#teach-takes', String(o.takes));
    await page.fill('#teach-seconds', String(o.seconds));
    await page.fill('#teach-countdown', String(o.countdown));
    // What the teacher sees, sampled on every animation frame while the takes run.
    await page.evaluate(() => {
      const seen = window.kslrTeachSeen = { countdown: [], recordingText: [], recordingBorder: false };
      const shown = (el) => getComputedStyle(el).display !== 'none';
      const look = () => {
        const c = document.getElementById('countdown');
        if (shown(c) && !seen.countdown.includes(c.textContent)) { seen.countdown.push(c.textContent); }
        const r = document.getElementById('recording');
        if (shown(r)) {
          const t = document.getElementById('recording-text').textContent;
          if (!seen.recordingText.includes(t)) { seen.recordingText.push(t); }
          seen.recordingBorder ||= document.getElementById('stage').classList.contains('recording');
        }
        requestAnimationFrame(look);
      };
      look();
    });
    const t0 = Date.now();
    await page.click('#teach-start');
    await page.waitForFunction(() => window.kslrDemo.teach.phase === 'recording', null, { timeout: o.timeoutMs });
    if (o.screenshot) { await page.screenshot({ path: o.screenshot.replace(/\.png$/, '') + '-recording.png' }); }
    await page.waitForFunction((w) => window.kslrDemo.teach.taught.includes(w)
      || (window.kslrDemo.teach.phase === 'idle'), o.word, { timeout: o.timeoutMs });
    const teachMs = Date.now() - t0;
    mark('taught');
    const st = await page.evaluate(() => ({ teach: window.kslrDemo.teach, seen: window.kslrTeachSeen,
      progress: document.getElementById('teach-progress').textContent }));
    check('the sign is taught from the fake camera', st.teach.taught.includes(o.word),
      `${JSON.stringify(st.teach)} | "${st.progress}"`);
    check('a countdown is shown before every take', st.teach.countdownsShown >= o.takes
      && st.seen.countdown.includes(String(o.countdown)), JSON.stringify(st.seen.countdown));
    check('the recording state is shown for every take', st.teach.recordingsShown >= o.takes
      && st.seen.recordingBorder && st.seen.recordingText.some((t) => t.includes('/ ' + o.takes)),
      JSON.stringify(st.seen));
    const overlaysLeft = await page.evaluate(() => ['countdown', 'recording']
      .filter((id) => getComputedStyle(document.getElementById(id)).display !== 'none'));
    check('the countdown and the recording state are gone after the last take', overlaysLeft.length === 0
      && !(await page.evaluate(() => document.getElementById('stage').classList.contains('recording'))),
    JSON.stringify(overlaysLeft));
    await page.waitForFunction((w) => [...document.querySelectorAll('#taught-signs li')]
      .some((li) => li.dataset.label === w), o.word, { timeout: 10000 }).catch(() => {});
    const items = await page.evaluate(() => [...document.querySelectorAll('#taught-signs li')].map((li) => ({
      label: li.dataset.label, text: li.textContent })));
    check('the taught sign is listed with its gloss and takes', items.length === 1 && items[0].label === o.word
      && items[0].text.includes(o.gloss) && items[0].text.includes(o.takes + ' takes'), JSON.stringify(items));

    const p = await recognised(60000);
    mark('recognised');
    check('the same clip is recognised as the taught sign', p.recognised > 0, JSON.stringify(p));
    await page.waitForFunction((w) => window.kslrDemo.sentence.includes(w), o.word, { timeout: 30000 })
      .catch(() => {});
    const sentence = await page.evaluate(() => window.kslrDemo.sentence);
    mark('transcript');
    check('the transcript shows the taught sign', sentence.includes(o.word), `"${sentence}"`);
    if (o.screenshot) { await page.screenshot({ path: o.screenshot }); }

    // The same word again is refused before any take is recorded.
    const errorsBefore = await page.evaluate(() => window.kslrDemo.teach.errors.length);
    await page.fill('#teach-khmer', o.word);
    await page.click('#teach-start');
    await page.waitForFunction((n) => window.kslrDemo.teach.errors.length > n, errorsBefore, { timeout: 20000 })
      .catch(() => {});
    const again = await page.evaluate(() => ({ error: window.kslrDemo.teach.errors.at(-1),
      progress: document.getElementById('teach-progress').textContent, phase: window.kslrDemo.teach.phase }));
    check('teaching a taught word again is refused with a clear message', again.error
      && again.error.code === 'bad-teach' && again.progress.includes('taught already'), JSON.stringify(again));
    mark('refused');
    return { marks, teachMs, teach: st.teach, seen: st.seen, prediction: p, sentence };
  } else {
    const items = await listed();
    check('the taught sign is still listed after the restart', items.length === 1 && items[0] === o.word,
      JSON.stringify(items));
    await page.click('#camera-toggle');
    const p = await recognised(60000);
    mark('recognised');
    check('the clip is recognised as the taught sign after the restart', p.recognised > 0, JSON.stringify(p));

    // More takes of the taught sign, from its row in the list.
    await page.fill('#teach-takes', String(o.takes));
    await page.fill('#teach-seconds', String(o.seconds));
    await page.fill('#teach-countdown', String(o.countdown));
    const takesBefore = await page.evaluate((w) => window.kslrDemo.vocabulary.find((s) => s.label === w).takes,
      o.word);
    await page.click(`#taught-signs li[data-label="${o.word}"] button.add-takes`);
    await page.waitForFunction((w) => window.kslrDemo.teach.added.includes(w), o.word, { timeout: o.timeoutMs })
      .catch(() => {});
    await page.waitForFunction(([w, n]) => window.kslrDemo.vocabulary.some((s) => s.label === w && s.takes > n),
      [o.word, takesBefore], { timeout: 10000 }).catch(() => {});
    const added = await page.evaluate((w) => ({ added: window.kslrDemo.teach.added,
      sign: window.kslrDemo.vocabulary.find((s) => s.label === w),
      item: document.querySelector(`#taught-signs li[data-label="${w}"]`).textContent,
      progress: document.getElementById('teach-progress').textContent }), o.word);
    check('Add takes records more takes of the taught sign', added.added.includes(o.word)
      && added.sign.takes === takesBefore + o.takes && added.item.includes((takesBefore + o.takes) + ' takes')
      && added.progress.includes('Added ' + o.takes + ' takes'), JSON.stringify(added));
    mark('added');

    await page.click(`#taught-signs li[data-label="${o.word}"] button.delete`);
    await page.waitForFunction(() => window.kslrDemo.vocabulary.length === 0
      && document.querySelectorAll('#taught-signs li').length === 0, null, { timeout: 20000 }).catch(() => {});
    const after = await page.evaluate(() => ({ vocabulary: window.kslrDemo.vocabulary,
      deleted: window.kslrDemo.teach.deleted, items: document.querySelectorAll('#taught-signs li').length }));
    check('Delete removes the sign from the list', after.vocabulary.length === 0 && after.items === 0
      && after.deleted.includes(o.word), JSON.stringify(after));
    mark('deleted');
    // Recognition no longer gives it: the next 15 window predictions (a few seconds here) recognise nothing.
    const before = await page.evaluate(() => ({ predictions: window.kslrDemo.predictions,
      recognised: Object.values(window.kslrDemo.recognizedByLabel).reduce((a, b) => a + b, 0) }));
    await page.waitForFunction((n) => window.kslrDemo.predictions >= n + 15, before.predictions,
      { timeout: 60000, polling: 200 }).catch(() => {});
    const later = await page.evaluate(() => ({ predictions: window.kslrDemo.predictions,
      recognised: Object.values(window.kslrDemo.recognizedByLabel).reduce((a, b) => a + b, 0) }));
    check('a deleted sign is no longer recognised', later.predictions >= before.predictions + 15
      && later.recognised === before.recognised, `before ${JSON.stringify(before)}, after ${JSON.stringify(later)}`);
    mark('not recognised');
    return { marks, recognition: p, afterDelete: { before, later } };
  }
});
