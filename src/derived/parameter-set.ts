/**
 * Which published parameter set a cell's replay starts from, chosen from its electrolyte text.
 * The choice is stated in the report; a lab with its own set passes it explicitly.
 */
import { carbonateFec_Gunnarsdottir2020, carbonate_Gunnarsdottir2020, ether_Boyle2021, hce_Adams2018, type ParameterSet } from '../model/params/index.js';

export function parameterSetForElectrolyte(electrolyte: string | undefined): ParameterSet {
  const e = (electrolyte ?? '').toLowerCase();
  if (/\b(lhce|hce|localized high|high[- ]concentration)\b|\b[4-9]\s*m\b/.test(e)) return hce_Adams2018;
  if (/\b(dme|dol|ether|glyme|fdmb|tegdme)\b/.test(e)) return ether_Boyle2021;
  if (/\bfec\b/.test(e)) return carbonateFec_Gunnarsdottir2020;
  return carbonate_Gunnarsdottir2020;
}
