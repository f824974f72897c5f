# /usr/bin/python3 distributions.py   (Debian bookworm python3-scipy 1.10.1)
import json, scipy
from scipy import stats
out = {"scipy": scipy.__version__}
out["norm_cdf"] = [[x, stats.norm.cdf(x)] for x in [-8, -3.5, -1.96, -0.3, 0, 0.7, 2.5, 6]]
out["norm_ppf"] = [[p, stats.norm.ppf(p)] for p in [1e-10, 0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999999]]
out["t_cdf"] = [[t, df, stats.t.cdf(t, df)] for t, df in [(-3, 1), (-2.1, 4.5), (0.5, 10), (2.0, 30), (4, 7), (1.3, 200)]]
out["t_ppf"] = [[p, df, stats.t.ppf(p, df)] for p, df in [(0.975, 1), (0.975, 3.7), (0.025, 14), (0.95, 14), (0.999, 5), (0.6, 50)]]
out["chi2_sf"] = [[x, df, stats.chi2.sf(x, df)] for x, df in [(0.5, 1), (3.84, 1), (10, 3), (25, 12), (80, 50)]]
out["f_sf"] = [[x, a, b, stats.f.sf(x, a, b)] for x, a, b in [(1.0, 2, 10), (4.5, 3, 28), (0.2, 5, 7), (12, 1, 4)]]
out["nct_cdf"] = [[t, df, nc, stats.nct.cdf(t, df, nc)] for t, df, nc in [(2.145, 14, 2.4), (-2.145, 14, 2.4), (1.0, 5, -1.0), (3.0, 30, 1.5), (0.5, 9.3, 0.2), (-1.0, 20, -3.0)]]
out["srange_cdf"] = [[q, k, df, stats.studentized_range.cdf(q, k, df)] for q, k, df in [(3.5, 3, 10), (2.0, 2, 5), (4.2, 4, 28), (3.0, 4, 12), (5.0, 6, 3), (3.31, 3, 200)]]
print(json.dumps(out, indent=1))
