# /usr/bin/python3 tests/stats/ref/contrast.py > tests/stats/ref/contrast.json
# Debian bookworm: python3-statsmodels 0.13.5, python3-numpy 1.24.2 (apt-get install python3-statsmodels)
# A 4-arm x 3-rest-level x 2-replicate campaign with a cycler block and per-arm rest slopes on sqrt(h):
# OLSResults.t_test of arm contrasts at a rest dose, of slope differences and of a single slope.
import json
import numpy as np, statsmodels
import statsmodels.api as sm

arms = ["control", "FD", "unpoled", "FD+anion"]
rest = [0.0, 24.0, 72.0]
rows = []
i = 0
for a in arms:
    for r in rest:
        for rep in range(2):
            i += 1
            rows.append((a, r, "arbin" if (i % 2) else "biologic"))
# deterministic response (no RNG: a fixed pseudo-noise sequence)
noise = [((k * 37) % 23 - 11) / 40.0 for k in range(len(rows))]
base = {"control": 1.60, "FD": 1.85, "unpoled": 1.70, "FD+anion": 1.95}
slope = {"control": -0.030, "FD": -0.008, "unpoled": -0.025, "FD+anion": -0.006}
y = [base[a] + slope[a] * np.sqrt(r) + (0.05 if b == "biologic" else 0.0) + noise[k] for k, (a, r, b) in enumerate(rows)]
names = ["(Intercept)", "arm:FD", "arm:unpoled", "arm:FD+anion", "rest:control", "rest:FD", "rest:unpoled", "rest:FD+anion", "block:biologic"]
X = []
for a, r, b in rows:
    s = np.sqrt(r)
    X.append([1.0, a == "FD", a == "unpoled", a == "FD+anion", s * (a == "control"), s * (a == "FD"), s * (a == "unpoled"), s * (a == "FD+anion"), b == "biologic"])
X = np.array(X, dtype=float)
m = sm.OLS(np.array(y), X).fit()
sbar = float(np.mean(np.sqrt([r for _, r, _ in rows])))
def L(w):
    v = np.zeros(len(names))
    for k, x in w.items(): v[names.index(k)] = x
    return v
contrasts = {
    "FD_vs_control_at_sbar": {"arm:FD": 1.0, "rest:FD": sbar, "rest:control": -sbar},
    "FD_vs_unpoled_at_sbar": {"arm:FD": 1.0, "arm:unpoled": -1.0, "rest:FD": sbar, "rest:unpoled": -sbar},
    "slope_FD_minus_control": {"rest:FD": 1.0, "rest:control": -1.0},
    "slope_control": {"rest:control": 1.0},
}
out = {"versions": {"statsmodels": statsmodels.__version__, "numpy": np.__version__}, "rows": [list(r) for r in rows], "y": [float(v) for v in y], "names": names, "sbar": sbar, "contrasts": {}}
for k, w in contrasts.items():
    t = m.t_test(L(w))
    ci = t.conf_int(alpha=0.05)[0]
    out["contrasts"][k] = {"weights": w, "estimate": float(np.squeeze(t.effect)), "se": float(np.squeeze(t.sd)), "t": float(np.squeeze(t.tvalue)), "p": float(np.squeeze(t.pvalue)), "df": float(m.df_resid), "ci": [float(ci[0]), float(ci[1])]}
print(json.dumps(out, indent=1))
