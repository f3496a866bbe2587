/**
 * Criteria (uitgangspunten) an application's result must meet. Versioned; the round freezes its
 * set when the first application is submitted so every applicant is judged by the same rules.
 */
export interface Criterion {
  id: string;
  title: string;
  description: string;
  weight: number;
  scaleMin: number;
  scaleMax: number;
  /** A score below this is a knock-out. */
  minimum?: number;
}

export interface CriteriaSet {
  version: number;
  items: Criterion[];
}

/** Default criteria, drawn from the council motion and the principles of the sociale basis. */
export function defaultCriteria(): CriteriaSet {
  const c = (id: string, title: string, description: string, weight: number, minimum?: number): Criterion => ({
    id,
    title,
    description,
    weight,
    scaleMin: 1,
    scaleMax: 5,
    ...(minimum === undefined ? {} : { minimum }),
  });
  return {
    version: 1,
    items: [
      c(
        'integraal',
        'Integraal, duurzaam en collectief',
        'Het resultaat is een gezamenlijk antwoord in de sociale basis dat blijft bestaan na het project, voor een groep inwoners en niet voor één persoon.',
        2,
        3,
      ),
      c('zorg-naar-welzijn', 'Van zorg naar welzijn', 'De aanvraag geeft een antwoord op vragen die nu naar specialistische jeugdhulp gaan.', 2),
      c('licht-dichtbij', 'Licht, dichtbij en preventief', 'Het antwoord is licht, dicht bij huis in de wijk en voorkomt zwaardere hulp.', 1.5),
      c('regie', 'Inwoner houdt de regie', 'Inwoners houden zelf de regie; eigen kracht en samenredzaamheid worden versterkt.', 1),
      c('ervaringsdeskundigheid', 'Ervaringsdeskundigen doen mee', 'Ervaringsdeskundigen zijn betrokken bij het ontwerp en de uitvoering.', 1, 2),
      c(
        'ambities',
        'Bijdrage aan de drie ambities',
        'Draagt bij aan sociaal contact en ontmoeting, vitale en gezonde inwoners, of gelijke kansen op een zelfstandig leven.',
        1,
      ),
      c('resultaat', 'Aantoonbaar resultaat', 'Het beoogde resultaat is concreet en de aanvrager laat zien hoe het wordt aangetoond.', 1),
    ],
  };
}
