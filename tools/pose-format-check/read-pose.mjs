// Reads a .pose file with pose-format's own JavaScript parser (npm pose-format 1.6.2) and prints what it found
// as tab-separated lines, for kslr-data's PoseFile tests to compare with (node read-pose.mjs FILE.pose):
//   version V | dimensions W H D | component NAME FORMAT POINTS LIMBS COLORS | point NAME | limb FROM TO
//   | color R G B | body FPS FRAMES | frame INDEX PEOPLE | person ID VALUES
// where VALUES are, component after component and point after point, the point's values in its component's
// format order (X Y Z C...), space-separated, as JavaScript prints the float32 the parser read. ID is "-" for
// versions 0.1 and 0.2, which store no person id.
import { register } from 'node:module';
import { readFileSync } from 'node:fs';

register('./resolve-hooks.mjs', import.meta.url);
const { Pose } = await import('pose-format');

const file = process.argv[2];
if (!file) {
  console.error('usage: node read-pose.mjs FILE.pose');
  process.exit(2);
}
const pose = Pose.from(readFileSync(file));
const { header, body } = pose;
const out = [];
out.push(['version', header.version].join('\t'));
out.push(['dimensions', header.width, header.height, header.depth].join('\t'));
for (const c of header.components) {
  out.push(['component', c.name, c.format, c.points.length, c.limbs.length, c.colors.length].join('\t'));
  for (const p of c.points) out.push(['point', p].join('\t'));
  for (const l of c.limbs) out.push(['limb', l.from, l.to].join('\t'));
  for (const k of c.colors) out.push(['color', k.R, k.G, k.B].join('\t'));
}
out.push(['body', body.fps, body.frames.length].join('\t'));
for (let i = 0; i < body.frames.length; i++) {
  const frame = body.frames[i];
  out.push(['frame', i, frame.people.length].join('\t'));
  for (const person of frame.people) {
    const values = [];
    for (const c of header.components) {
      for (const point of person[c.name]) {
        for (const dim of c.format) values.push(point[dim]);
      }
    }
    out.push(['person', person.id === undefined ? '-' : person.id, values.join(' ')].join('\t'));
  }
}
process.stdout.write(out.join('\n') + '\n');
