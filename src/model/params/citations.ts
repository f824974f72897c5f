/** Sources behind the parameter sets (DOMAIN.md §10). Keys are AuthorYear; a set lists the ones it uses. */
import type { Citation } from './types.js';

export const CITATIONS = {
  Boyle2021: {
    key: 'Boyle2021',
    reference: 'Boyle et al., Nat. Energy 6, 487–494 (2021): 2–3 % of charge lost in 24 h at OCV, rate slowing with time',
    doi: '10.1038/s41560-021-00787-9',
  },
  Lu2022: {
    key: 'Lu2022',
    reference:
      'Lu, Li, Cheng, et al., "Suppressing chemical corrosions of lithium metal anodes", arXiv:2204.11631 (2022): 0.08 %/day dense vs 1.71 %/day porous Li',
    doi: 'arXiv:2204.11631',
  },
  Gunnarsdottir2020: {
    key: 'Gunnarsdottir2020',
    reference:
      'Gunnarsdóttir, Amanchukwu, Menkin, Grey, J. Am. Chem. Soc. (2020): in-situ 7Li NMR, corrosion at rest in all electrolytes, little dead Li with FEC',
    doi: '10.1021/jacs.0c10258',
  },
  NmrDeadLi2020: {
    key: 'NmrDeadLi2020',
    reference: 'In-situ/ex-situ NMR dead-Li protocol, Cell Rep. Phys. Sci. (2020): dead-Li fraction 3.3 ± 0.6 % (5 % FEC) vs 9.4 ± 0.6 % (no FEC)',
    doi: '10.1016/j.xcrp.2020.100139',
  },
  Fang2019: { key: 'Fang2019', reference: 'Fang et al., Nature 572, 511–515 (2019): unreacted Li⁰ dominates inactive Li', doi: '10.1038/s41586-019-1481-z' },
  Bassett2023: {
    key: 'Bassett2023',
    reference: 'Bassett et al., Front. Batter. Electrochem. (2023): rest-induced CE drops are mostly reconnectable dead Li',
    doi: '10.3389/fbael.2023.1292639',
  },
  Adams2018: {
    key: 'Adams2018',
    reference: 'Adams et al., Adv. Energy Mater. 8, 1702097 (2018): average CE 99.0 → 99.5 % in a high-concentration ether',
    doi: '10.1002/aenm.201702097',
  },
  Qian2015: { key: 'Qian2015', reference: 'Qian et al., Nat. Commun. 6, 6362 (2015): 4 M LiFSI–DME, CE ≈ 98–99 %', doi: '10.1038/ncomms7362' },
  Xu2026: {
    key: 'Xu2026',
    reference: 'Xu, Xie, Zhang, Zhou, Chen, Wei, Chem. Sci. (2026): corrosion-initiated failure and FD engineering (perspective under test)',
    doi: '10.1039/d6sc02846b',
  },
} as const satisfies Record<string, Citation>;
