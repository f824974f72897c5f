# /usr/bin/python3 stats_scipy.py > stats_scipy.json
# Debian bookworm: python3-scipy 1.10.1, python3-statsmodels 0.13.5, python3-numpy
import json, itertools
import numpy as np, scipy, statsmodels
from scipy import stats, optimize
import statsmodels.api as sm
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.weightstats import ttost_ind
from statsmodels.stats.power import TTestIndPower

out = {"versions": {"scipy": scipy.__version__, "statsmodels": statsmodels.__version__, "numpy": np.__version__}}
x = [1.82, 2.11, 1.65, 2.40, 1.97, 2.23, 1.71, 2.05]
y = [1.55, 1.92, 1.48, 1.70, 1.61, 1.88, 1.52]
out["x"], out["y"] = x, y

from statsmodels.stats.weightstats import CompareMeans, DescrStatsW
r = stats.ttest_ind(x, y, equal_var=False)
cm = CompareMeans(DescrStatsW(x), DescrStatsW(y))
tt, pp, dfw = cm.ttest_ind(usevar="unequal")
ci = cm.tconfint_diff(alpha=0.05, usevar="unequal")
out["welch"] = {"t": r.statistic, "p": r.pvalue, "df": dfw, "ci": list(ci)}
r = stats.ttest_ind(x, y, equal_var=False, alternative="greater")
out["welch_greater"] = {"p": r.pvalue, "ci_low": cm.tconfint_diff(alpha=0.10, usevar="unequal")[0]}

# Cohen's d / Hedges' g, CI by inverting the non-central t (scipy.stats.nct + brentq)
n1, n2 = len(x), len(y)
sp = np.sqrt(((n1-1)*np.var(x, ddof=1) + (n2-1)*np.var(y, ddof=1)) / (n1+n2-2))
d = (np.mean(x) - np.mean(y)) / sp
df = n1 + n2 - 2
k = np.sqrt(n1*n2/(n1+n2))
t = d*k
lo = optimize.brentq(lambda nc: stats.nct.cdf(t, df, nc) - 0.975, -20, 20, xtol=1e-14)
hi = optimize.brentq(lambda nc: stats.nct.cdf(t, df, nc) - 0.025, -20, 20, xtol=1e-14)
from scipy.special import gammaln
J = np.exp(gammaln(df/2) - 0.5*np.log(df/2) - gammaln((df-1)/2))
out["cohen"] = {"d": d, "ci": [lo/k, hi/k], "J": J, "g": J*d}

# Mann-Whitney: exact (no ties, small n) and asymptotic with ties
xa = [0.8, 1.9, 2.7, 3.1, 4.4, 5.2]; ya = [0.5, 1.1, 1.6, 2.2, 2.9]
r = stats.mannwhitneyu(xa, ya, method="exact")
out["mwu_exact"] = {"x": xa, "y": ya, "U": r.statistic, "p": r.pvalue}
r = stats.mannwhitneyu(xa, ya, method="exact", alternative="greater")
out["mwu_exact_greater"] = {"p": r.pvalue}
xt = [3, 5, 5, 7, 8, 8, 9, 10, 12]; yt = [1, 2, 5, 6, 6, 7, 8]
r = stats.mannwhitneyu(xt, yt, method="asymptotic", use_continuity=True)
out["mwu_ties"] = {"x": xt, "y": yt, "U": r.statistic, "p": r.pvalue}

# exact permutation test, difference in means
r = stats.permutation_test((x, y), lambda a, b, axis: np.mean(a, axis=axis) - np.mean(b, axis=axis), permutation_type="independent", n_resamples=np.inf, vectorized=True)
out["perm"] = {"stat": r.statistic, "p": r.pvalue}
r = stats.permutation_test((x, y), lambda a, b, axis: np.mean(a, axis=axis) - np.mean(b, axis=axis), permutation_type="independent", n_resamples=np.inf, vectorized=True, alternative="greater")
out["perm_greater"] = {"p": r.pvalue}

# bootstrap BCa (random; the TS test compares within Monte-Carlo error with B = 20000)
rng = np.random.default_rng(7)
bx = list(np.round(rng.lognormal(0, 0.6, 40), 4))
r = stats.bootstrap((bx,), np.mean, method="BCa", n_resamples=200000, random_state=1)
out["bca_mean"] = {"x": bx, "ci": [r.confidence_interval.low, r.confidence_interval.high], "se": r.standard_error}

# OLS
xr = [0, 6, 24, 72, 168, 0, 6, 24, 72, 168, 12, 48]
yr = [0.010, 0.031, 0.052, 0.081, 0.120, 0.006, 0.027, 0.060, 0.072, 0.131, 0.038, 0.070]
m = sm.OLS(yr, sm.add_constant(xr)).fit()
out["ols"] = {"x": xr, "y": yr, "params": list(m.params), "bse": list(m.bse), "p": list(m.pvalues), "ci": m.conf_int().tolist(), "r2": m.rsquared, "llf": m.llf, "aic": m.aic, "bic": m.bic}
ms = sm.OLS(yr, sm.add_constant(np.sqrt(xr))).fit()
ml = sm.OLS(yr, sm.add_constant(np.log1p(xr))).fit()
out["ols_sqrt"] = {"aic": ms.aic, "bic": ms.bic, "llf": ms.llf}
out["ols_log"] = {"aic": ml.aic, "bic": ml.bic, "llf": ml.llf}
# two predictors + interaction (H11 design)
fd = [0,0,0,0,0,0,1,1,1,1,1,1]; rest = [0,0,0,1,1,1,0,0,0,1,1,1]
q = [0.010,0.014,0.012,0.041,0.037,0.045,0.011,0.009,0.013,0.022,0.025,0.019]
X = np.column_stack([np.ones(12), fd, rest, np.array(fd)*np.array(rest)])
mi = sm.OLS(q, X).fit()
out["ols_int"] = {"fd": fd, "rest": rest, "y": q, "params": list(mi.params), "bse": list(mi.bse), "p": list(mi.pvalues)}

# Theil-Sen
r = stats.theilslopes(yr, xr, alpha=0.95, method="separate")
out["theilsen"] = {"slope": r[0], "intercept": r[1], "lo": r[2], "hi": r[3]}

# Spearman
r = stats.spearmanr(xr, yr)
out["spearman"] = {"rho": r.correlation, "p": r.pvalue}

# one-way ANOVA and Tukey HSD
g1 = [1.62, 1.75, 1.58, 1.80, 1.69]; g2 = [1.85, 1.92, 1.78, 2.01, 1.88, 1.95]; g3 = [1.70, 1.66, 1.83, 1.74]; g4 = [2.05, 2.12, 1.98, 2.20, 2.09]
r = stats.f_oneway(g1, g2, g3, g4)
out["anova"] = {"groups": [g1, g2, g3, g4], "F": r.statistic, "p": r.pvalue}
th = stats.tukey_hsd(g1, g2, g3, g4)
tci = th.confidence_interval(0.95)
out["tukey"] = {"stat": th.statistic.tolist(), "p": th.pvalue.tolist(), "lo": tci.low.tolist(), "hi": tci.high.tolist()}

# TOST (Welch)
p, t1, t2 = ttost_ind(x, y, -0.1, 0.5, usevar="unequal")
out["tost"] = {"low": -0.1, "upp": 0.5, "p": p, "t1": list(t1), "t2": list(t2)}

# Holm, BH
pv = [0.01, 0.04, 0.03, 0.005, 0.20, 0.049]
out["multi"] = {"p": pv, "holm": list(multipletests(pv, method="holm")[1]), "bh": list(multipletests(pv, method="fdr_bh")[1])}

# power (statsmodels TTestIndPower: pooled df, both tails)
pw = TTestIndPower()
out["power"] = {
  "p_8_8_d12": pw.power(effect_size=1.2, nobs1=8, alpha=0.05, ratio=1.0),
  "p_6_10_d08": pw.power(effect_size=0.8, nobs1=6, alpha=0.05, ratio=10/6),
  "p_8_8_d12_larger": pw.power(effect_size=1.2, nobs1=8, alpha=0.05, ratio=1.0, alternative="larger"),
  "mde_8_8": pw.solve_power(nobs1=8, alpha=0.05, power=0.8, ratio=1.0),
  "n_d12": pw.solve_power(effect_size=1.2, alpha=0.05, power=0.8, ratio=1.0),
}

# Jonckheere-Terpstra: exact p by brute-force enumeration of all distinct relabellings (definition)
def jstat(vals, labs):
  J = 0.0
  for a in range(len(vals)):
    for b in range(len(vals)):
      if labs[a] < labs[b]:
        J += 1.0 if vals[a] < vals[b] else (0.5 if vals[a] == vals[b] else 0.0)
  return J
jg = [[1.2, 1.5, 1.1, 1.4], [1.6, 1.3, 1.9], [2.1, 1.7, 2.4, 1.8]]
vals = sum(jg, []); labs = sum([[i]*len(g) for i, g in enumerate(jg)], [])
J0 = jstat(vals, labs)
perms = set(itertools.permutations(labs))
ge = sum(1 for pl in perms if jstat(vals, pl) >= J0 - 1e-9)
out["jt"] = {"groups": jg, "J": J0, "p_exact_greater": ge / len(perms), "count": len(perms)}

# mediation paths (statsmodels OLS) and Sobel SE; data generated here
rng = np.random.default_rng(11)
mx = rng.normal(size=400); mm = 0.5*mx + rng.normal(size=400); my = 0.4*mm + 0.2*mx + rng.normal(size=400)
mx, mm, my = [list(np.round(v, 6)) for v in (mx, mm, my)]
fa = sm.OLS(mm, sm.add_constant(mx)).fit(); fb = sm.OLS(my, sm.add_constant(np.column_stack([mx, mm]))).fit(); fc = sm.OLS(my, sm.add_constant(mx)).fit()
a, b = fa.params[1], fb.params[2]
out["mediation"] = {"x": mx, "m": mm, "y": my, "a": a, "b": b, "direct": fb.params[1], "total": fc.params[1], "sobel_se": float(np.sqrt(a**2*fb.bse[2]**2 + b**2*fa.bse[1]**2))}
print(json.dumps(out, indent=1, default=float))
