#!/usr/bin/env python3
"""Export a transformers VITS voice (VitsModel + VitsTokenizer) to the ONNX voice KSLR's kslr-tts loads.

Two modes:

  Real checkpoint (needs a machine that reaches Hugging Face, or a local copy of the checkpoint directory):
      python3 export_vits.py --checkpoint facebook/mms-tts-khm --out voices/mms-tts-khm
  writes voices/mms-tts-khm/voice.onnx (weights inside, tokenizer data in its metadata_props) plus the checkpoint's
  vocab.json / tokenizer_config.json / config.json beside it. The facebook/mms-tts-khm weights are CC-BY-NC 4.0:
  keep the exported voice out of anything you redistribute commercially.

  Random test voice (no download; the recipe of the shared tiny parity fixture):
      python3 export_vits.py --random-tiny --out /tmp/tiny
  builds VitsModel(tiny VitsConfig) with random weights (torch.manual_seed(--seed)) and a synthetic 74-symbol Khmer
  vocabulary shaped like mms-tts-khm's (COENG U+17D2 at id 0 = pad and blank, space, KHAN, then U+1780..U+17C6), and
  writes voice.onnx plus golden.json: transformers' token ids for edge-case texts and torch's waveforms with both
  noise scales 0 at length_scale 1.0 and 1.3. --random-full does the same with the full-size MMS architecture.

Every mode checks the export: ONNX Runtime (CPU) against torch with noise 0 at several input lengths and both
length scales (max abs difference must stay under --atol), and two noisy ONNX Runtime runs must differ (the
RandomNormalLike nodes survived the export). The check's numbers go to export-report.json.

The graph: inputs input_ids int64 [1, L], attention_mask int64 [1, L], noise_scale, length_scale,
noise_scale_duration float32 scalars; output waveform float32 [1, T]. length_scale = 1 / speaking_rate.
The TorchScript exporter is used (dynamo=False): the dynamo exporter fails on VITS (GuardOnDataDependentSymNode in
the flow's masking, measured with torch 2.11).

Needs: torch, transformers (>= 4.33, tested with 5.17), onnx, onnxruntime, numpy.
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import torch

# The tiny parity voice: small widths and depths, but the MMS hop (upsample 8*8*2*2 = 256) and 16 kHz.
TINY_CONFIG = dict(
    vocab_size=74, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, ffn_dim=64, flow_size=32,
    spectrogram_bins=65, upsample_initial_channel=32, upsample_rates=[8, 8, 2, 2],
    upsample_kernel_sizes=[16, 16, 4, 4], resblock_kernel_sizes=[3, 5], resblock_dilation_sizes=[[1, 3], [1, 3]],
    depth_separable_num_layers=2, duration_predictor_filter_channels=32, prior_encoder_num_flows=2,
    prior_encoder_num_wavenet_layers=2, posterior_encoder_num_wavenet_layers=2, sampling_rate=16000,
)

# Texts whose token ids golden.json records: each exercises one rule of VitsTokenizer (see kslr-tts MmsTokenizer).
EDGE_TEXTS = [
    "សួស្តី ពិភពលោក",            # COENG (the pad, id 0) inside words, one space
    "ខ្ញុំឈ្មោះសុខា។",            # KHAN (in the vocabulary) at the end
    "្ក",                          # leading COENG
    "ក្",                          # trailing COENG
    "ក្្ខ",                        # two COENGs in a row
    "ក ្ ខ",                       # COENG between spaces
    "  ្ក  ",                      # outer spaces around a leading COENG
    "ក\u200bខ",                    # zero-width space (out of vocabulary)
    "ÀBC ក, ខ!",                   # Latin upper case and punctuation (dropped)
    "\tក\u00a0ខ\u3000 ",           # tab, no-break space and ideographic space (Python strips them)
    "ក។ ខ៕ គ? ឃ! ង.",              # sentence punctuation
    "ស្ត្រី ១២៣",                  # Khmer digits (not in the vocabulary)
    "<unk>ក",                      # the unknown token's text
    "İក",                          # a character whose lower case is two code points
    "្",                           # COENG alone
    "A",                           # nothing speakable
    "",                            # empty
]

WAVEFORM_TEXTS = ["ខ្ញុំឈ្មោះសុខា។", "សួស្តី ពិភពលោក"]
LENGTH_SCALES = [1.0, 1.3]


def khmer_test_vocab():
    """74 symbols shaped like mms-tts-khm's: COENG (pad/blank) 0, space 1, KHAN 2, then U+1780..U+17C6."""
    symbols = ["\u17d2", " ", "\u17d4"] + [chr(c) for c in range(0x1780, 0x17C7)]
    assert len(symbols) == 74 and len(set(symbols)) == 74
    return {s: i for i, s in enumerate(symbols)}


class VitsOnnxWrapper(torch.nn.Module):
    """Makes the noise scales and the length scale graph inputs (VitsModel keeps them as Python attributes)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, noise_scale, length_scale, noise_scale_duration):
        self.model.noise_scale = noise_scale
        self.model.noise_scale_duration = noise_scale_duration
        self.model.speaking_rate = 1.0 / length_scale
        return self.model(input_ids=input_ids, attention_mask=attention_mask).waveform


def build_random(args, out_dir):
    from transformers import VitsConfig, VitsModel, VitsTokenizer

    config = VitsConfig(**TINY_CONFIG) if args.random_tiny else VitsConfig(vocab_size=74)
    torch.manual_seed(args.seed)
    model = VitsModel(config).eval()
    vocab_path = os.path.join(out_dir, "vocab.json")
    with open(vocab_path, "w", encoding="utf-8") as f:
        json.dump(khmer_test_vocab(), f, ensure_ascii=False, indent=0)
    tokenizer = VitsTokenizer(vocab_path, pad_token="\u17d2", unk_token="<unk>", language="khm", add_blank=True,
                              normalize=True, phonemize=False, is_uroman=False)
    return model, tokenizer


def build_checkpoint(args):
    from transformers import VitsModel, VitsTokenizer

    model = VitsModel.from_pretrained(args.checkpoint, revision=args.revision).eval()
    tokenizer = VitsTokenizer.from_pretrained(args.checkpoint, revision=args.revision)
    return model, tokenizer


def tokenizer_metadata(tokenizer, model, comment):
    """The metadata_props kslr-tts reads (keys documented in kslr-tts VitsVoiceData)."""
    vocab = dict(tokenizer.encoder)  # insertion order = vocab.json order, which normalisation depends on
    if tokenizer.phonemize or tokenizer.is_uroman:
        print("WARNING: this voice needs phonemize/uroman preprocessing, which kslr-tts does not implement; "
              "it will refuse to load it", file=sys.stderr)
    return {
        "model_type": "vits",
        "sample_rate": str(model.config.sampling_rate),
        "language": str(tokenizer.language or ""),
        "add_blank": "1" if tokenizer.add_blank else "0",
        "normalize": "1" if getattr(tokenizer, "normalize", True) else "0",
        "phonemize": "1" if tokenizer.phonemize else "0",
        "is_uroman": "1" if tokenizer.is_uroman else "0",
        "pad_token": str(tokenizer.pad_token),
        "unk_token": str(tokenizer.unk_token),
        "vocab": json.dumps(vocab, ensure_ascii=False),
        "comment": comment,
    }


def export(model, path, opset, dummy_len, seed):
    import onnx

    wrapper = VitsOnnxWrapper(model).eval()
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(1, model.config.vocab_size, (1, dummy_len), generator=g)
    ids[:, ::2] = 0  # blank-interspersed like real input
    mask = torch.ones_like(ids)
    # A long dummy: VitsAttention's relative-position padding branches on the length at trace time.
    dummy = (ids, mask, torch.tensor(0.667), torch.tensor(1.0), torch.tensor(0.8))
    with torch.no_grad():
        torch.onnx.export(
            wrapper, dummy, path, dynamo=False, opset_version=opset,
            input_names=["input_ids", "attention_mask", "noise_scale", "length_scale", "noise_scale_duration"],
            output_names=["waveform"],
            dynamic_axes={"input_ids": {1: "L"}, "attention_mask": {1: "L"}, "waveform": {1: "T"}},
        )
    onnx.checker.check_model(path)
    return wrapper


def add_metadata(path, props):
    import onnx

    m = onnx.load(path)
    del m.metadata_props[:]
    for k, v in props.items():
        p = m.metadata_props.add()
        p.key, p.value = k, v
    onnx.save(m, path)
    return m


def torch_waveform(wrapper, ids, length_scale):
    t = torch.tensor([ids], dtype=torch.long)
    with torch.no_grad():
        w = wrapper(t, torch.ones_like(t), torch.tensor(0.0), torch.tensor(float(length_scale)), torch.tensor(0.0))
    return w[0].numpy()


def ort_waveform(session, ids, length_scale, noise=0.0, noise_w=0.0):
    a = np.array([ids], dtype=np.int64)
    return session.run(["waveform"], {
        "input_ids": a, "attention_mask": np.ones_like(a), "noise_scale": np.array(noise, dtype=np.float32),
        "length_scale": np.array(length_scale, dtype=np.float32),
        "noise_scale_duration": np.array(noise_w, dtype=np.float32)})[0][0]


def check(wrapper, path, tokenizer, atol, seed):
    """ORT vs torch with noise 0 at several lengths and both length scales; noisy runs must differ."""
    import onnx
    import onnxruntime as ort

    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(seed)
    vocab = tokenizer.vocab_size
    cases = [tokenizer(t).input_ids for t in WAVEFORM_TEXTS]
    for n in (1, 3, 20, 38):  # 3, 7, 41, 77 ids after blank interspersing: short ones too (see export())
        chars = rng.integers(1, vocab, n)
        ids = [0] * (2 * n + 1)
        ids[1::2] = chars.tolist()
        cases.append(ids)
    rows, worst = [], 0.0
    for ids in cases:
        for ls in LENGTH_SCALES:
            a, b = torch_waveform(wrapper, ids, ls), ort_waveform(session, ids, ls)
            same_shape = a.shape == b.shape
            diff = float(np.max(np.abs(a - b))) if same_shape else float("inf")
            worst = max(worst, diff)
            rows.append({"ids": len(ids), "length_scale": ls, "torch_samples": int(a.shape[0]),
                         "ort_samples": int(b.shape[0]), "max_abs_diff": diff})
    noisy1 = ort_waveform(session, cases[0], 1.0, 0.667, 0.8)
    noisy2 = ort_waveform(session, cases[0], 1.0, 0.667, 0.8)
    noisy_differ = noisy1.shape != noisy2.shape or bool(np.any(noisy1 != noisy2))
    model = onnx.load(path, load_external_data=False)
    ops = {}
    for node in model.graph.node:
        ops[node.op_type] = ops.get(node.op_type, 0) + 1
    report = {
        "max_abs_diff": worst, "atol": atol, "cases": rows, "noisy_runs_differ": noisy_differ,
        "random_ops": {k: v for k, v in ops.items() if k.startswith("Random")},
        "ir_version": model.ir_version, "opset": [(o.domain, o.version) for o in model.opset_import],
        "onnxruntime": ort.__version__,
    }
    ok = worst <= atol and noisy_differ
    return ok, report


def goldens(wrapper, tokenizer):
    tokens = {t: tokenizer(t).input_ids for t in EDGE_TEXTS}
    waves = []
    for text in WAVEFORM_TEXTS:
        ids = tokenizer(text).input_ids
        for ls in LENGTH_SCALES:
            w = torch_waveform(wrapper, ids, ls)
            waves.append({"text": text, "length_scale": ls, "noise_scale": 0.0, "noise_scale_duration": 0.0,
                          "samples": [round(float(x), 7) for x in w]})
    return tokens, waves


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--checkpoint", help="a transformers VITS checkpoint: hub id (facebook/mms-tts-khm) or directory")
    mode.add_argument("--random-tiny", action="store_true", help="random-weight tiny test voice (parity fixture)")
    mode.add_argument("--random-full", action="store_true", help="random-weight full-size MMS architecture")
    p.add_argument("--revision", default=None, help="checkpoint revision (commit) for --checkpoint")
    p.add_argument("--out", required=True, help="output directory (created)")
    p.add_argument("--name", default="voice.onnx", help="file name of the ONNX voice (default voice.onnx)")
    p.add_argument("--seed", type=int, default=20261123, help="seed of the random weights and the dummy input")
    p.add_argument("--opset", type=int, default=17)
    p.add_argument("--dummy-length", type=int, default=51, help="input ids in the trace's dummy input")
    p.add_argument("--atol", type=float, default=1e-4, help="max |ORT - torch| allowed with noise 0")
    p.add_argument("--no-check", action="store_true", help="skip the ORT-vs-torch check")
    args = p.parse_args()

    import transformers

    os.makedirs(args.out, exist_ok=True)
    started = time.time()
    if args.checkpoint:
        model, tokenizer = build_checkpoint(args)
        comment = f"exported by KSLR tools/voice-export from {args.checkpoint}" + (
            f"@{args.revision}" if args.revision else "")
    else:
        model, tokenizer = build_random(args, args.out)
        comment = "random weights, test only"
    # Dropout/layerdrop off; the noise comes only from the graph inputs.
    model.eval()
    tokenizer.save_pretrained(args.out)
    model.config.to_json_file(os.path.join(args.out, "config.json"))

    path = os.path.join(args.out, args.name)
    wrapper = export(model, path, args.opset, args.dummy_length, args.seed)
    add_metadata(path, tokenizer_metadata(tokenizer, model, comment))
    versions = {"transformers": transformers.__version__, "torch": torch.__version__}
    print(f"wrote {path} ({os.path.getsize(path)} bytes) in {time.time() - started:.1f} s")

    ok = True
    if not args.no_check:
        ok, report = check(wrapper, path, tokenizer, args.atol, args.seed)
        report.update(versions)
        with open(os.path.join(args.out, "export-report.json"), "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)
        print(f"ORT vs torch (noise 0): max abs diff {report['max_abs_diff']:.3g} (atol {args.atol}); "
              f"noisy runs differ: {report['noisy_runs_differ']}; random ops {report['random_ops']}")
    if not args.checkpoint:
        tokens, waves = goldens(wrapper, tokenizer)
        golden = dict(versions, tokens=tokens, waveforms=waves)
        if not args.no_check:
            golden["onnxruntime_vs_torch_max_abs_diff"] = report["max_abs_diff"]
        with open(os.path.join(args.out, "golden.json"), "w", encoding="utf-8") as f:
            json.dump(golden, f, ensure_ascii=False)
        print(f"wrote {os.path.join(args.out, 'golden.json')}")
    if not ok:
        print("EXPORT CHECK FAILED: see export-report.json", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
