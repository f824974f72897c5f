import type { FormatParser } from '../types.js';
import { iontofDepthProfile } from './iontof-depth-profile.js';
import { iontofSpectrum } from './iontof-spectrum.js';
import { simsImageText } from './image-text.js';

/** Formats of this group, in sniffing order. Each entry is an imported FormatParser object. */
export const simsFormats: readonly FormatParser[] = [iontofDepthProfile, iontofSpectrum, simsImageText];
