// Runs .tflite models with LiteRT.js (@litertjs/core, XNNPACK on WebAssembly, single thread) in plain Node.
// kslr-tools' tests use it as the reference implementation the converted ONNX models are compared against, and the
// latency tool uses it for LiteRT.js timings.
//
// Usage: node run.mjs <jobs.json>
//   jobs.json: {"jobs": [{"model": "/abs/m.tflite", "inputs": ["/abs/in0.f32", ...], "outDir": "/abs/dir",
//                          "warmup": 0, "iterations": 0}]}
//   Each input file holds little-endian float32 values in the model's NHWC input shape (batch 1).
//   For every job, outDir receives out<i>.f32 (little-endian float32, TFLite output order) and result.tsv, one
//   tab-separated record a line (easy to read from Java without a JSON library):
//     input <name> <d0,d1,...>
//     output <name> <d0,d1,...> <file>
//     time <ms>          one per timed iteration (after `warmup` untimed runs): run() until the data are read back
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const wasmDir = path.join(here, 'node_modules', '@litertjs', 'core', 'wasm');
// The compat (non-relaxed-SIMD) build: the relaxed-SIMD build's results vary by up to ~6e-4 relative.
const glue = path.join(wasmDir, 'litert_wasm_compat_internal.js');

// The package targets browsers and web workers: give it the worker globals it looks for. importScripts must
// evaluate the emscripten glue as CommonJS and expose its factory as self.ModuleFactory.
globalThis.self = globalThis;
globalThis.importScripts = (file) => {
  const f = file.startsWith('file://') ? fileURLToPath(file) : file;
  const code = fs.readFileSync(f, 'utf8');
  const module = { exports: {} };
  const fn = vm.compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: f });
  fn(module.exports, require, module, f, path.dirname(f));
  globalThis.ModuleFactory = module.exports;
};

const { loadLiteRt, loadAndCompile, Tensor } = await import('@litertjs/core');

function readF32(file) {
  const buf = fs.readFileSync(file);
  // Copy: the Buffer's backing store may be shared and unaligned.
  const out = new Float32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

function writeF32(file, arr) {
  const buf = Buffer.alloc(arr.length * 4);
  for (let i = 0; i < arr.length; i++) buf.writeFloatLE(arr[i], i * 4);
  fs.writeFileSync(file, buf);
}

async function runJob(job) {
  const bytes = fs.readFileSync(job.model);
  const model = await loadAndCompile(new Uint8Array(bytes), { accelerator: 'wasm' });
  const inDetails = model.getInputDetails();
  const outDetails = model.getOutputDetails();
  if (inDetails.length !== job.inputs.length) {
    throw new Error(`${job.model}: the model has ${inDetails.length} inputs, the job gives ${job.inputs.length}`);
  }
  const inputs = inDetails.map((d, i) => {
    const data = readF32(job.inputs[i]);
    const n = Array.from(d.shape).reduce((a, b) => a * b, 1);
    if (data.length !== n) {
      throw new Error(`${job.inputs[i]}: ${data.length} floats, input ${d.name} ${Array.from(d.shape)} needs ${n}`);
    }
    return new Tensor(data, Array.from(d.shape));
  });
  const once = async () => {
    const outs = await model.run(inputs);
    const arrays = outs.map((t) => t.toTypedArray().slice());
    outs.forEach((t) => t.delete());
    return arrays;
  };
  const arrays = await once();
  for (let i = 0; i < (job.warmup || 0); i++) await once();
  const timesMs = [];
  for (let i = 0; i < (job.iterations || 0); i++) {
    const t0 = process.hrtime.bigint();
    await once();
    timesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  fs.mkdirSync(job.outDir, { recursive: true });
  const outputs = outDetails.map((d, i) => {
    const file = path.join(job.outDir, `out${i}.f32`);
    writeF32(file, arrays[i]);
    return { name: d.name, shape: Array.from(d.shape), file };
  });
  const lines = [
    ...inDetails.map((d) => `input\t${d.name}\t${Array.from(d.shape).join(',')}`),
    ...outputs.map((o) => `output\t${o.name}\t${o.shape.join(',')}\t${o.file}`),
    ...timesMs.map((t) => `time\t${t}`),
  ];
  fs.writeFileSync(path.join(job.outDir, 'result.tsv'), lines.join('\n') + '\n');
  inputs.forEach((t) => t.delete());
  model.delete();
}

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
await loadLiteRt(glue);
for (const job of spec.jobs) {
  await runJob(job);
}
process.exit(0);
