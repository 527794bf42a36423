/**
 * Colours of the DAG view. The PBFT phases use the Okabe–Ito palette (Okabe & Ito, "Color
 * Universal Design", 2008), whose colours stay distinct under the common colour-vision
 * deficiencies; every colour-coded meaning also has a shape (ring, cross, outline, size), so no
 * meaning rests on hue alone. Neutrals follow the page's light or dark theme (styles.css).
 */

export type DagPalette = {
  readonly background: string;
  readonly laneBand: string;
  readonly ink: string;
  readonly inkSoft: string;
  readonly vertex: string;
  readonly edge: string;
  readonly edgeHighlight: string;
  readonly prePrepare: string;
  readonly prepare: string;
  readonly commit: string;
  readonly equivocation: string;
  readonly finalized: string;
  readonly crashedLane: string;
  readonly byzantineLane: string;
  /** The lane of the validator chosen for faults (drawn with an outline too). */
  readonly selectedLane: string;
};

/** The three phases and the marks, shared by both themes (Okabe–Ito). */
const OKABE_ITO = {
  prePrepare: '#D55E00', // vermillion
  prepare: '#56B4E9', // sky blue
  commit: '#009E73', // bluish green
  equivocation: '#CC79A7', // reddish purple
} as const;

export const LIGHT_PALETTE: DagPalette = Object.freeze({
  ...OKABE_ITO,
  background: '#ffffff',
  laneBand: 'rgba(20, 32, 43, 0.035)',
  ink: '#14202b',
  inkSoft: '#4a5a68',
  vertex: '#9aa7b2',
  edge: 'rgba(74, 90, 104, 0.16)',
  edgeHighlight: 'rgba(20, 32, 43, 0.55)',
  finalized: 'rgba(0, 158, 115, 0.09)',
  crashedLane: 'rgba(74, 90, 104, 0.16)',
  byzantineLane: 'rgba(213, 94, 0, 0.12)',
  selectedLane: 'rgba(0, 114, 178, 0.12)',
});

export const DARK_PALETTE: DagPalette = Object.freeze({
  ...OKABE_ITO,
  background: '#17212b',
  laneBand: 'rgba(230, 235, 240, 0.04)',
  ink: '#e6ebf0',
  inkSoft: '#a3b1bd',
  vertex: '#5e6e7c',
  edge: 'rgba(163, 177, 189, 0.14)',
  edgeHighlight: 'rgba(230, 235, 240, 0.6)',
  finalized: 'rgba(0, 158, 115, 0.14)',
  crashedLane: 'rgba(163, 177, 189, 0.14)',
  byzantineLane: 'rgba(213, 94, 0, 0.2)',
  selectedLane: 'rgba(86, 180, 233, 0.18)',
});
