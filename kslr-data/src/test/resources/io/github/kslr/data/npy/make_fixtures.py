#!/usr/bin/python3
"""Writes the .npy test fixtures of kslr-data and expected.txt describing them.

Run with Debian's NumPy (apt-get install python3-numpy), from this directory:
    /usr/bin/python3 make_fixtures.py
The values are made up here (no data from elsewhere); expected.txt holds every value as NumPy sees it in the files,
so the Java tests compare what they read against NumPy's own view. Line format (one file or sequence a line):
    file <name> <dtype> <fortran_order> <shape, comma-separated> <values, comma-separated, C order>
    mp <label> <sequence> <frames> <features> <values, comma-separated>
Floats are Python's repr of the double equal to the stored value (exact for float32 too).
"""
import os
import shutil

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
lines = ["# made by make_fixtures.py with NumPy " + np.__version__]


def text(values):
    return ",".join(repr(v) for v in values)


def save(name, array, version=None):
    path = os.path.join(HERE, name)
    if version is None:
        np.save(path, array)
    else:
        with open(path, "wb") as f:
            np.lib.format.write_array(f, array, version=version)
    back = np.load(path)
    fortran = bool(back.flags.f_contiguous and not back.flags.c_contiguous)
    lines.append(" ".join(["file", name, back.dtype.str, str(fortran), text(back.shape) or "-",
                           text(v.item() for v in np.ravel(back, order="C")) or "-"]))


save("f4_2x3.npy", np.array([[0.5, -1.25, 3.4e38], [1e-7, -0.0, 12345.678]], dtype="<f4"))
save("f8_4.npy", np.array([np.pi, -np.e, 1e-300, 6.02214076e23], dtype="<f8"))
save("i2_5.npy", np.array([-32768, -1, 0, 1, 32767], dtype="<i2"))
save("i4_2x2.npy", np.array([[-2147483648, 7], [-7, 2147483647]], dtype="<i4"))
save("i8_3.npy", np.array([-(2 ** 40), 3, 2 ** 40 + 1], dtype="<i8"))
save("f4_scalar.npy", np.array(2.5, dtype="<f4"))
save("f4_0x3.npy", np.zeros((0, 3), dtype="<f4"))
save("f4_big_endian.npy", np.array([1.5, -2.0, 1e-3], dtype=">f4"))
save("f4_fortran.npy", np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
save("f8_v2.npy", np.arange(4, dtype="<f8").reshape(2, 2) / 3, version=(2, 0))
save("i4_v3.npy", np.array([1, 2, 3], dtype="<i4"), version=(3, 0))
rng = np.random.default_rng(7)
save("f4_3x4x5.npy", rng.standard_normal((3, 4, 5)).astype("<f4"))

# MP_Data/<sign>/<sequence>/<frame>.npy as the tutorial writes it: one float64 vector a frame.
mp = os.path.join(HERE, "MP_Data")
shutil.rmtree(mp, ignore_errors=True)
for sign, count in (("hello", 2), ("thanks", 1)):
    for seq in range(count):
        os.makedirs(os.path.join(mp, sign, str(seq)))
        frames = rng.standard_normal((3, 4))
        for t in range(3):
            np.save(os.path.join(mp, sign, str(seq), f"{t}.npy"), frames[t])
        lines.append(" ".join(["mp", sign, str(seq), "3", "4", text(float(v) for v in frames.ravel())]))

with open(os.path.join(HERE, "expected.txt"), "w") as f:
    f.write("\n".join(lines) + "\n")
