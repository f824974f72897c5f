// Every statistics function against reference values for the same inputs.
//   scipy/statsmodels: `/usr/bin/python3 tests/stats/ref/stats_scipy.py > tests/stats/ref/stats_scipy.json`
//     (Debian bookworm python3-scipy 1.10.1, python3-statsmodels 0.13.5, numpy 1.24.2)
//   R: `Rscript tests/stats/ref/survival.R > tests/stats/ref/survival.json`
//     (Debian bookworm r-base-core 4.2.2, r-cran-survival 3.5.3)
// Deterministic methods are held to 1e-6; resampling methods to exact enumeration (permutation,
// Jonckheere) or to large-sample limits with fixed seeds (bootstrap BCa, mediation).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as S from '../../src/stats/index.js';

const py = JSON.parse(readFileSync(new URL('./ref/stats_scipy.json', import.meta.url), 'utf8'));
const R = JSON.parse(readFileSync(new URL('./ref/survival.json', import.meta.url), 'utf8'));
const close = (a: number, b: number, tol = 1e-6) => {
  if (Math.abs(a - b) >= tol) throw new Error(`expected ${b}, got ${a} (|Δ| = ${Math.abs(a - b)} ≥ ${tol})`);
};
const { x, y } = py as { x: number[]; y: number[] };

describe('two-sample tests vs scipy/statsmodels', () => {
  it('Welch t: statistic, df, p, CI (scipy.stats.ttest_ind equal_var=False; statsmodels CompareMeans)', () => {
    const r = S.welchT(x, y);
    close(r.statistic, py.welch.t);
    close(r.p, py.welch.p);
    close(r.df!, py.welch.df);
    close(r.ci![0], py.welch.ci[0]);
    close(r.ci![1], py.welch.ci[1]);
    const g = S.welchT(x, y, { alternative: 'greater' });
    close(g.p, py.welch_greater.p);
    close(g.ci![0], py.welch_greater.ci_low);
  });
  it("Cohen's d / Hedges' g with non-central-t CI (scipy.stats.nct + brentq)", () => {
    const d = S.cohensD(x, y);
    close(d.value, py.cohen.d);
    close(d.ci![0], py.cohen.ci[0]);
    close(d.ci![1], py.cohen.ci[1]);
    close(S.hedgesJ(x.length + y.length - 2), py.cohen.J, 1e-10);
    close(S.hedgesG(x, y).value, py.cohen.g);
  });
  it('Mann–Whitney U exact and tie-corrected normal approximation (scipy.stats.mannwhitneyu)', () => {
    const e = S.mannWhitneyU(py.mwu_exact.x, py.mwu_exact.y);
    expect(e.exact).toBe(true);
    close(e.U, py.mwu_exact.U);
    close(e.p, py.mwu_exact.p, 1e-12);
    close(S.mannWhitneyU(py.mwu_exact.x, py.mwu_exact.y, { alternative: 'greater' }).p, py.mwu_exact_greater.p, 1e-12);
    const t = S.mannWhitneyU(py.mwu_ties.x, py.mwu_ties.y);
    expect(t.exact).toBe(false);
    close(t.U, py.mwu_ties.U);
    close(t.p, py.mwu_ties.p);
  });
  it('permutation test: exact enumeration equals scipy.stats.permutation_test; Monte Carlo within 3 SE', () => {
    const r = S.permutationTest(x, y);
    expect(r.exact).toBe(true);
    close(r.statistic, py.perm.stat, 1e-12);
    close(r.p, py.perm.p, 1e-9);
    close(S.permutationTest(x, y, { alternative: 'greater' }).p, py.perm_greater.p, 1e-9);
    const mc = S.permutationTest(x, y, { exactLimit: 0, nPerm: 20000, seed: 3 });
    expect(mc.exact).toBe(false);
    const se = Math.sqrt((py.perm.p * (1 - py.perm.p)) / 20000) * 2;
    expect(Math.abs(mc.p - py.perm.p)).toBeLessThan(3 * se + 1e-4);
    expect(S.permutationTest(x, y, { exactLimit: 0, nPerm: 2000, seed: 9 }).p).toBe(S.permutationTest(x, y, { exactLimit: 0, nPerm: 2000, seed: 9 }).p);
  });
  it('TOST (statsmodels ttost_ind usevar=unequal)', () => {
    const r = S.tostWelch(x, y, py.tost.low, py.tost.upp);
    close(r.p, py.tost.p);
    close(r.pLow, py.tost.t1[1]);
    close(r.pUpp, py.tost.t2[1]);
    close(r.df, py.tost.t1[2]);
    expect(r.equivalent).toBe(false);
  });
  it('power and MDE of the two-sample t (statsmodels TTestIndPower)', () => {
    close(S.powerTwoSampleT(1.2, 8, 8, { df: 'pooled' }), py.power.p_8_8_d12);
    close(S.powerTwoSampleT(0.8, 6, 10, { df: 'pooled' }), py.power.p_6_10_d08);
    close(S.powerTwoSampleT(1.2, 8, 8, { df: 'pooled', alternative: 'greater' }), py.power.p_8_8_d12_larger);
    close(S.mdeTwoSampleT(8, 8, 0.8, { df: 'pooled' }), py.power.mde_8_8);
    expect(S.nForPower(1.2, 0.8, { df: 'pooled' })).toBe(Math.ceil(py.power.n_d12));
  });
});

describe('bootstrap and mediation (seeded; large-sample limits)', () => {
  it('BCa CI of a mean agrees with scipy.stats.bootstrap(method=BCa, 200k resamples) within Monte-Carlo error', () => {
    const r = S.bootstrapMean(py.bca_mean.x, { B: 20000, seed: 5 });
    const w = py.bca_mean.ci[1] - py.bca_mean.ci[0];
    expect(Math.abs(r.ci[0] - py.bca_mean.ci[0])).toBeLessThan(0.02 * w);
    expect(Math.abs(r.ci[1] - py.bca_mean.ci[1])).toBeLessThan(0.02 * w);
    expect(Math.abs(r.se - py.bca_mean.se) / py.bca_mean.se).toBeLessThan(0.03);
    expect(S.bootstrapMean(py.bca_mean.x, { B: 500, seed: 5 }).ci).toEqual(S.bootstrapMean(py.bca_mean.x, { B: 500, seed: 5 }).ci);
  });
  it('BCa reduces to the percentile interval for a symmetric statistic with no bias (z0 ≈ 0, a = 0)', () => {
    const sym = Array.from({ length: 21 }, (_, i) => i - 10);
    const r = S.bootstrapMean(sym, { B: 4000, seed: 2 });
    expect(Math.abs(r.acceleration!)).toBeLessThan(1e-12);
    expect(Math.abs(r.z0!)).toBeLessThan(0.05);
  });
  it('mediation paths equal statsmodels OLS; bootstrap SE of a·b ≈ Sobel SE (n = 400)', () => {
    const m = S.mediation(py.mediation.x, py.mediation.m, py.mediation.y, { B: 2000, seed: 4 });
    close(m.a, py.mediation.a);
    close(m.b, py.mediation.b);
    close(m.direct, py.mediation.direct);
    close(m.total, py.mediation.total);
    close(m.sobelSe, py.mediation.sobel_se);
    expect(Math.abs(m.bootstrapSe - m.sobelSe) / m.sobelSe).toBeLessThan(0.1);
    expect(m.indirectCi[0]).toBeGreaterThan(0);
  });
});

describe('regression and correlation vs statsmodels/scipy', () => {
  const xr: number[] = py.ols.x;
  const yr: number[] = py.ols.y;
  it('OLS coefficients, SEs, p, CIs, R², log-likelihood, AIC/BIC (statsmodels OLS)', () => {
    const r = S.linearRegression(xr, yr);
    r.coefficients.forEach((c, j) => {
      close(c.estimate, py.ols.params[j], 1e-10);
      close(c.se, py.ols.bse[j], 1e-10);
      close(c.p, py.ols.p[j], 1e-9);
      close(c.ci[0], py.ols.ci[j][0], 1e-9);
      close(c.ci[1], py.ols.ci[j][1], 1e-9);
    });
    close(r.r2, py.ols.r2, 1e-10);
    close(r.logLik, py.ols.llf, 1e-8);
    close(r.aic, py.ols.aic, 1e-8);
    close(r.bic, py.ols.bic, 1e-8);
    // R's AIC(lm) counts σ² as a parameter: +2
    close(r.aic + 2, R.lm_aic_R, 1e-8);
    close(r.bic + Math.log(xr.length), R.lm_bic_R, 1e-8);
  });
  it('OLS with interaction term (H11 design)', () => {
    const fd: number[] = py.ols_int.fd;
    const rest: number[] = py.ols_int.rest;
    const r = S.ols(py.ols_int.y, { fd, rest, fdxrest: fd.map((v, i) => v * rest[i]!) });
    r.coefficients.forEach((c, j) => {
      close(c.estimate, py.ols_int.params[j], 1e-10);
      close(c.se, py.ols_int.bse[j], 1e-10);
      close(c.p, py.ols_int.p[j], 1e-9);
    });
  });
  it('AIC/BIC model comparison linear vs √t vs log (statsmodels aic/bic)', () => {
    const lin = S.linearRegression(xr, yr);
    const sq = S.linearRegression(xr.map(Math.sqrt), yr);
    const lg = S.linearRegression(xr.map(Math.log1p), yr);
    close(sq.aic, py.ols_sqrt.aic, 1e-8);
    close(lg.bic, py.ols_log.bic, 1e-8);
    const cmp = S.compareModels([
      { name: 'linear', logLik: lin.logLik, k: 2, n: 12 },
      { name: 'sqrt', logLik: sq.logLik, k: 2, n: 12 },
      { name: 'log', logLik: lg.logLik, k: 2, n: 12 },
    ]);
    const best = Math.min(py.ols.aic, py.ols_sqrt.aic, py.ols_log.aic);
    for (const row of cmp) close(row.deltaAic, row.aic - best, 1e-12);
    close(
      cmp.reduce((s, r) => s + r.akaikeWeight, 0),
      1,
      1e-12,
    );
  });
  it('Theil–Sen slope, intercept and Sen CI (scipy.stats.theilslopes)', () => {
    const r = S.theilSen(xr, yr);
    close(r.slope, py.theilsen.slope, 1e-12);
    close(r.intercept, py.theilsen.intercept, 1e-12);
    close(r.ci[0], py.theilsen.lo, 1e-12);
    close(r.ci[1], py.theilsen.hi, 1e-12);
  });
  it('Spearman rho and p (scipy.stats.spearmanr)', () => {
    const r = S.spearman(xr, yr);
    close(r.rho, py.spearman.rho, 1e-12);
    close(r.p, py.spearman.p, 1e-9);
  });
});

describe('ANOVA, Tukey, Jonckheere–Terpstra', () => {
  it('one-way ANOVA (scipy.stats.f_oneway)', () => {
    const r = S.oneWayAnova(py.anova.groups);
    close(r.F, py.anova.F, 1e-9);
    close(r.p, py.anova.p, 1e-10);
  });
  it('Tukey HSD p-values and simultaneous CIs (scipy.stats.tukey_hsd)', () => {
    const r = S.tukeyHsd(py.anova.groups);
    let k = 0;
    for (let i = 0; i < 4; i++) {
      for (let j = i + 1; j < 4; j++) {
        const pr = r.pairs[k++]!;
        close(pr.diff, py.tukey.stat[i][j], 1e-12);
        close(pr.p, py.tukey.p[i][j], 1e-6);
        close(pr.ci![0], py.tukey.lo[i][j], 1e-6);
        close(pr.ci![1], py.tukey.hi[i][j], 1e-6);
      }
    }
  });
  it('Jonckheere–Terpstra exact p equals brute-force enumeration (python itertools, definition of J)', () => {
    const r = S.jonckheereTerpstra(py.jt.groups);
    expect(r.exact).toBe(true);
    expect(r.J).toBe(py.jt.J);
    close(r.p, py.jt.p_exact_greater, 1e-12);
    // normal approximation is close to exact here and exact-vs-normal agree better for larger n
    const nrm = S.jonckheereTerpstra(py.jt.groups, { method: 'normal' });
    expect(Math.abs(nrm.p - r.p)).toBeLessThan(0.01);
  });
  it('Jonckheere–Terpstra tie-corrected variance equals the exact permutation variance of J', () => {
    const g = [
      [1, 2, 2, 3],
      [2, 3, 3],
      [3, 4, 4, 5],
    ];
    const r = S.jonckheereTerpstra(g, { method: 'normal' });
    // exact variance by enumeration
    const vals = g.flat();
    const ns = g.map((a) => a.length);
    const labs: number[] = [];
    let s = 0,
      s2 = 0,
      c = 0;
    const left = [...ns];
    const rec = (pos: number) => {
      if (pos === vals.length) {
        let J = 0;
        for (let a = 0; a < vals.length; a++)
          for (let b = 0; b < vals.length; b++) if (labs[a]! < labs[b]!) J += vals[a]! < vals[b]! ? 1 : vals[a] === vals[b] ? 0.5 : 0;
        s += J;
        s2 += J * J;
        c++;
        return;
      }
      for (let k = 0; k < 3; k++)
        if (left[k]! > 0) {
          left[k]!--;
          labs[pos] = k;
          rec(pos + 1);
          left[k]!++;
        }
    };
    rec(0);
    close(r.mean, s / c, 1e-9);
    close(r.variance, s2 / c - (s / c) ** 2, 1e-9);
  });
});

describe('survival vs R survival 3.5.3', () => {
  const time: number[] = R.time;
  const event: (0 | 1)[] = R.event;
  it('Kaplan–Meier S(t), Greenwood SE and log / plain / log-log CIs (survfit)', () => {
    const km = S.kaplanMeier(time, event);
    km.steps.forEach((st, i) => {
      close(st.time, R.km.time[i], 1e-12);
      close(st.surv, R.km.surv[i], 1e-12);
      close(st.stdErr, R.km.std_err_S[i], 1e-10);
      close(st.lower, R.km.lower[i], 1e-10);
      close(st.upper, R.km.upper[i], 1e-10);
      close(st.nRisk, R.km.n_risk[i], 1e-12);
    });
    expect(km.median).toBe(R.km.median);
    S.kaplanMeier(time, event, { confType: 'plain' }).steps.forEach((st, i) => {
      close(st.lower, R.km_plain.lower[i], 1e-10);
      close(st.upper, R.km_plain.upper[i], 1e-10);
    });
    S.kaplanMeier(time, event, { confType: 'log-log' }).steps.forEach((st, i) => {
      close(st.lower, R.km_loglog.lower[i], 1e-10);
      close(st.upper, R.km_loglog.upper[i], 1e-10);
    });
  });
  it('log-rank 2 and 3 groups (survdiff)', () => {
    const group = time.map((_, i) => (i < 8 ? 'FD' : 'ctrl'));
    const r = S.logRank(time, event, group);
    close(r.chiSquare, R.logrank.chisq, 1e-10);
    const iF = r.groups.indexOf('FD');
    const iC = r.groups.indexOf('ctrl');
    close(r.observed[iC]!, R.logrank.obs[0], 1e-12);
    close(r.expected[iC]!, R.logrank.exp[0], 1e-10);
    close(r.expected[iF]!, R.logrank.exp[1], 1e-10);
    const g3 = time.map((_, i) => (i < 5 ? 'a' : i < 10 ? 'b' : 'c'));
    const r3 = S.logRank(time, event, g3);
    close(r3.chiSquare, R.logrank3.chisq, 1e-10);
    close(r3.p, R.logrank3.p, 1e-10);
  });
  it('Cox PH, Efron and Breslow ties: coef, SE, log-likelihoods (coxph)', () => {
    const e = S.coxPH(time, event, { hx: R.hx });
    expect(e.converged).toBe(true);
    close(e.coefficients[0]!.coef, R.cox_efron.coef, 1e-7);
    close(e.coefficients[0]!.se, R.cox_efron.se, 1e-6);
    close(e.logLikNull, R.cox_efron.loglik[0], 1e-9);
    close(e.logLik, R.cox_efron.loglik[1], 1e-9);
    close(e.coefficients[0]!.p, R.cox_efron.p, 1e-6);
    const b = S.coxPH(time, event, { hx: R.hx }, { ties: 'breslow' });
    close(b.coefficients[0]!.coef, R.cox_breslow.coef, 1e-7);
    close(b.coefficients[0]!.se, R.cox_breslow.se, 1e-6);
    close(b.logLik, R.cox_breslow.loglik[1], 1e-9);
  });
  it('Cox PH with two covariates: HR CIs and likelihood-ratio test', () => {
    const fd = time.map((_, i) => (i < 8 ? 1 : 0));
    const r = S.coxPH(time, event, { hx: R.hx, fdnum: fd });
    r.coefficients.forEach((c, j) => {
      close(c.coef, R.cox2.coef[j], 1e-7);
      close(c.se, R.cox2.se[j], 1e-6);
      // relative tolerance: the HR per unit of H spans many decades
      close(Math.log(c.hrCi[0]), Math.log(R.cox2.hr_lo[j]), 1e-6);
      close(Math.log(c.hrCi[1]), Math.log(R.cox2.hr_hi[j]), 1e-6);
    });
    close(r.lrChiSquare, R.cox2.lr, 1e-8);
  });
});

describe('multiplicity and LCE', () => {
  it('Holm and Benjamini–Hochberg (statsmodels multipletests), nulls skipped', () => {
    const h = S.holm(py.multi.p);
    const b = S.benjaminiHochberg(py.multi.p);
    py.multi.p.forEach((_: number, i: number) => {
      close(h[i]!, py.multi.holm[i], 1e-12);
      close(b[i]!, py.multi.bh[i], 1e-12);
    });
    expect(S.holm([0.01, null, 0.04])).toEqual([0.02, null, 0.04]);
  });
  it('LCE = −log10(1 − CE) and its inverse', () => {
    close(S.lce(0.99), 2, 1e-12);
    close(S.lce(0.977), -Math.log10(0.023), 1e-12);
    close(S.ceFromLce(S.lce(0.9937)), 0.9937, 1e-12);
    expect(Number.isNaN(S.lce(1))).toBe(true);
  });
});
